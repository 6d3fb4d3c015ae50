/**
 * Holds swagger2-convert.ts to swagger2openapi on many Swagger 2.0 descriptions, as test/corpus/api-types-swagger2.test.ts
 * does on the corpus's: for each, whether ours converts (and where it gives up if not), and when it does, whether its
 * paths and components are the library's (conversionDifference) and api.ts rendered from each is the same text.
 *
 *   node_modules/.bin/node scripts/corpus/swagger2-check.ts            # swagger2-specs.ts's specs
 *   node_modules/.bin/node scripts/corpus/swagger2-check.ts a.json b.yaml dir/ …
 *
 * Prints one line per spec (identical / gave up <where> / DIFFERENT <what>), then the counts; exits 1 on any DIFFERENT.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { convertSwagger2, swagger2GiveUpReason } from "../generator/emit/swagger2-convert.ts";
import { loadSpec } from "../generator/spec/load.ts";
import { conversionDifference, firstDifference, libraryConversion, renderedBothWays } from "./swagger2-oracle.ts";
import { swagger2Specs } from "./swagger2-specs.ts";

async function expand(args: string[]): Promise<string[]> {
  if (args.length === 0) return swagger2Specs();
  const paths: string[] = [];
  for (const arg of args) {
    if ((await stat(arg)).isDirectory()) {
      for (const entry of (await readdir(arg, { recursive: true })).sort()) if (/\.(json|ya?ml)$/.test(entry)) paths.push(join(arg, entry));
    } else paths.push(arg);
  }
  return paths;
}

export type Outcome = { kind: "identical" } | { kind: "gave up"; why: string } | { kind: "DIFFERENT"; what: string } | { kind: "skipped"; why: string };

/** One spec's outcome, as the corpus test judges it. */
export async function checkSpec(path: string): Promise<Outcome> {
  let spec;
  try {
    spec = await loadSpec(path);
  } catch (error) {
    return { kind: "skipped", why: `not loaded: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}` };
  }
  if (spec.version !== "2.0") return { kind: "skipped", why: `version ${spec.version}` };
  const converted = convertSwagger2(structuredClone(spec.document));
  if (!converted) return { kind: "gave up", why: swagger2GiveUpReason(structuredClone(spec.document)) ?? "?" };
  const difference = conversionDifference(converted.openapi, await libraryConversion(spec.document));
  if (difference) return { kind: "DIFFERENT", what: difference };
  const { ours, library } = await renderedBothWays(spec.document, spec.version);
  if (JSON.stringify(ours.notice) !== JSON.stringify(library.notice)) return { kind: "DIFFERENT", what: "api.ts notice" };
  const textDifference = firstDifference(ours.body, library.body, 40);
  return textDifference ? { kind: "DIFFERENT", what: `api.ts ${textDifference}` } : { kind: "identical" };
}

const counts: Record<string, number> = {};
for (const path of await expand(process.argv.slice(2))) {
  const outcome = await checkSpec(path);
  counts[outcome.kind] = (counts[outcome.kind] ?? 0) + 1;
  const detail = outcome.kind === "identical" ? "" : ` ${"why" in outcome ? outcome.why : outcome.what}`;
  console.log(`${outcome.kind.padEnd(9)} ${path}${detail}`);
}
console.log(Object.entries(counts).map(([kind, count]) => `${kind}: ${count}`).join(", "));
if (counts["DIFFERENT"]) process.exitCode = 1;
