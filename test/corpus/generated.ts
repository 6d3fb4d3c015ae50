/**
 * Generating a corpus once per run (both suites are loaded by corpus.test.ts, so they share this module) and loading
 * what came out: the result (model, report, files), the raw spec
 * and the generated `tools.ts` itself, imported as a client of the bridge would load it.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { GenerateResult } from "../../scripts/generator/index.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";
import { generateCorpus } from "../helpers/corpus.ts";
import type { Corpus } from "./corpora.ts";
import { readRawSpec, type RawSpec } from "./raw-spec.ts";

export interface GeneratedCorpus {
  corpus: Corpus;
  specPath: string;
  /** Output directory (`.cache/corpus-out/<group>/<name>`). */
  dir: string;
  result: GenerateResult;
  raw: RawSpec;
  /** Wall time of the generation, in milliseconds. */
  ms: number;
}

/** The output group both suites share (`.cache/corpus-out/corpus/<name>`): each corpus is generated once per run. */
export const CORPUS_GROUP = "corpus";

const cache = new Map<string, Promise<GeneratedCorpus>>();

/**
 * At most this many generations at once. A generation spends much of its time waiting for its api.ts worker
 * thread, so a few in flight use both cores; more would only compete for them.
 */
const CONCURRENCY = 3;
let running = 0;
const queue: (() => void)[] = [];

async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Generates `corpus` into `.cache/corpus-out/<group>/<name>/`, at most once per process. */
export function generated(group: string, corpus: Corpus): Promise<GeneratedCorpus> {
  const key = `${group}/${corpus.name}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = limited(async () => {
      const specPath = await corpus.specPath();
      const start = performance.now();
      const exclude = corpus.excluded ? `tools:\n  exclude: { operations: ${JSON.stringify(corpus.excluded)} }\n` : "";
      const { dir, result } = await generateCorpus(key, specPath, exclude);
      const ms = performance.now() - start;
      return { corpus, specPath, dir, result, raw: await readRawSpec(specPath), ms };
    });
    cache.set(key, pending);
  }
  return pending;
}

/** Starts generating every corpus (in order, a few at a time) so that each suite finds its own ready or under way. */
export function prefetch(group: string, corpora: readonly Corpus[]): void {
  // Failures surface where each corpus is awaited, in its own suite.
  for (const corpus of corpora) generated(group, corpus).catch(() => {});
}

const toolModules = new Map<string, Promise<readonly ToolDefinition[]>>();

/** The generated `tools.ts`, imported (Node strips its types). */
export function importTools(dir: string): Promise<readonly ToolDefinition[]> {
  let pending = toolModules.get(dir);
  if (!pending) {
    pending = import(pathToFileURL(join(dir, "tools.ts")).href).then((module: { tools: readonly ToolDefinition[] }) => module.tools);
    toolModules.set(dir, pending);
  }
  return pending;
}
