/**
 * `interrupt`: node `ask` calls `interrupt({ question: "approve?" })` and
 * stores the resume value in `answer`; then END. Resume with
 * `new Command({ resume: "yes" })` (wire: `{"command": {"resume": "yes"}}`).
 */
import { END, START, StateGraph, StateSchema, interrupt } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  answer: z.unknown().optional(),
});

export const graph = new StateGraph(State)
  .addNode("ask", () => {
    const answer = interrupt<{ question: string }, unknown>({ question: "approve?" });
    return { answer };
  })
  .addEdge(START, "ask")
  .addEdge("ask", END)
  .compile({ name: "interrupt" });
