/**
 * The embeddings of `store.index.embed`: LangChain's `OpenAIEmbeddings` for `"openai:<model>"` (any
 * OpenAI-compatible endpoint: `OPENAI_API_KEY`, `OPENAI_BASE_URL`), or the project module's export: a
 * LangChain `Embeddings` (anything with `embedDocuments` and `embedQuery`) or a function from texts to
 * vectors. Every vector is checked against `dims`: a wrong length is an error, never a stored vector
 * that no search could rank.
 */
import { pathToFileURL } from "node:url";
import type { StoreIndexSettings } from "./settings.ts";

export interface Embedder {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

type EmbedFunction = (texts: string[]) => number[][] | Promise<number[][]>;

function isEmbeddings(value: unknown): value is Embedder {
  const v = value as Partial<Embedder> | null;
  return typeof v?.embedDocuments === "function" && typeof v.embedQuery === "function";
}

async function loadSource(settings: StoreIndexSettings): Promise<Embedder> {
  const { embed } = settings;
  if (embed.kind === "openai") {
    const { OpenAIEmbeddings } = await import("@langchain/openai");
    return new OpenAIEmbeddings({
      model: embed.model,
      dimensions: settings.dims,
      configuration: { baseURL: process.env.OPENAI_BASE_URL || undefined },
    });
  }
  const mod = (await import(pathToFileURL(embed.file).href)) as Record<string, unknown>;
  const value = mod[embed.exportName];
  if (isEmbeddings(value)) return value;
  if (typeof value === "function") {
    const fn = value as EmbedFunction;
    return { embedDocuments: async (texts) => fn(texts), embedQuery: async (text) => (await fn([text]))[0] };
  }
  throw new Error(
    `store.index.embed: ${embed.file} exports no "${embed.exportName}" that is an Embeddings object or a function of texts`,
  );
}

function checked(vector: unknown, dims: number): number[] {
  if (
    !Array.isArray(vector) ||
    vector.length !== dims ||
    !vector.every((x) => typeof x === "number" && Number.isFinite(x))
  )
    throw new Error(
      `store.index: the embeddings gave ${Array.isArray(vector) ? `a vector of ${vector.length} numbers` : "no vector"}, ` +
        `where "dims" says ${dims}`,
    );
  return vector;
}

/** The embedder of the settings, each vector it gives checked against `dims`. */
export async function loadEmbedder(settings: StoreIndexSettings): Promise<Embedder> {
  const source = await loadSource(settings);
  return {
    async embedDocuments(texts) {
      if (texts.length === 0) return [];
      const vectors = await source.embedDocuments(texts);
      if (vectors.length !== texts.length)
        throw new Error(`store.index: the embeddings gave ${vectors.length} vectors for ${texts.length} texts`);
      return vectors.map((v) => checked(v, settings.dims));
    },
    async embedQuery(text) {
      return checked(await source.embedQuery(text), settings.dims);
    },
  };
}
