/**
 * Generating a corpus once per test file and loading what came out: the result (model, report, files), the raw spec
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

const cache = new Map<string, Promise<GeneratedCorpus>>();

/** Generates `corpus` into `.cache/corpus-out/<group>/<name>/`, at most once per test file. */
export function generated(group: string, corpus: Corpus): Promise<GeneratedCorpus> {
  const key = `${group}/${corpus.name}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = (async () => {
      const specPath = await corpus.specPath();
      const start = performance.now();
      const { dir, result } = await generateCorpus(key, specPath);
      const ms = performance.now() - start;
      return { corpus, specPath, dir, result, raw: await readRawSpec(specPath), ms };
    })();
    cache.set(key, pending);
  }
  return pending;
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
