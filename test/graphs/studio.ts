/**
 * `studio`: what LangGraph Studio draws and builds forms from (GET /assistants/{id}/graph, /schemas,
 * /subgraphs). A `StateSchema` state, an output schema of its own and a zod context schema; a
 * conditional edge; `interruptBefore` on `review`; and a subgraph `research` of two nodes
 * (`plan` -> `dig`) whose `dig` is itself a two-node subgraph (`fetch` -> `read`):
 *
 *   START -> research -> route ? review : END,   review -> END
 *
 * The nodes only append their names to `steps`, so a run is instant.
 *
 * `studio_annotation` (export `annotated`): START -> only -> END with an `Annotation` state, which
 * has no JSON Schema: its schemas are null.
 */
import { Annotation, END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  topic: z.string().describe("What to research"),
  steps: new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.array(z.string()),
      reducer: (current: string[], next: string[]) => current.concat(next),
    },
  ),
});

const Output = new StateSchema({ steps: z.array(z.string()) });

const Context = z.object({
  model: z.enum(["fast", "careful"]).default("fast").describe("Which model answers"),
  max_sources: z.number().int().min(1).max(10).optional(),
});

const step = (name: string) => () => ({ steps: [name] });

const dig = new StateGraph(State)
  .addNode("fetch", step("fetch"))
  .addNode("read", step("read"))
  .addEdge(START, "fetch")
  .addEdge("fetch", "read")
  .addEdge("read", END)
  .compile({ name: "dig" });

const research = new StateGraph(State)
  .addNode("plan", step("plan"))
  .addNode("dig", dig)
  .addEdge(START, "plan")
  .addEdge("plan", "dig")
  .addEdge("dig", END)
  .compile({ name: "research" });

export const graph = new StateGraph({ state: State, output: Output, context: Context })
  .addNode("research", research)
  .addNode("review", step("review"))
  .addEdge(START, "research")
  .addConditionalEdges("research", (state: typeof State.State) => (state.topic === "risky" ? "review" : END), {
    review: "review",
    [END]: END,
  })
  .addEdge("review", END)
  .compile({ name: "studio", interruptBefore: ["review"] });

const AnnotatedState = Annotation.Root({
  steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

export const annotated = new StateGraph(AnnotatedState)
  .addNode("only", step("only"))
  .addEdge(START, "only")
  .addEdge("only", END)
  .compile({ name: "studio_annotation" });
