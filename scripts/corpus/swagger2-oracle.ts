/**
 * swagger2openapi's own conversion of a Swagger 2.0 document (as api-types.ts runs it), and where swagger2-convert.ts's
 * differs from it: for the tests that hold the two to each other.
 */
import { createRequire } from "node:module";

type Json = Record<string, any>;

export async function libraryConversion(document: unknown): Promise<Json> {
  const { convertObj } = createRequire(import.meta.url)("swagger2openapi") as typeof import("swagger2openapi");
  const { openapi } = await convertObj(structuredClone(document) as never, { patch: true, warnOnly: true, resolve: false, text: "(not kept)" });
  return openapi as Json;
}

/**
 * The first part of `ours` whose JSON text (so its key order too) differs from the library's: each path item (its
 * operations without `servers` and `security`, which ours leaves as they are: api.ts does not read them) and each kind
 * of component api.ts reads; undefined when none does.
 */
export function conversionDifference(ours: Json, theirs: Json): string | undefined {
  const paths = (document: Json) => Object.keys(document["paths"] ?? {});
  if (JSON.stringify(paths(ours)) !== JSON.stringify(paths(theirs))) return "the paths";
  for (const url of paths(theirs)) {
    if (text(ours["paths"][url]) !== text(theirs["paths"][url])) return `paths[${JSON.stringify(url)}]`;
  }
  const components = (document: Json) => Object.keys(document["components"] ?? {});
  if (JSON.stringify(components(ours)) !== JSON.stringify(components(theirs))) return "the kinds of components";
  for (const kind of ["schemas", "parameters", "responses", "requestBodies"]) {
    if (JSON.stringify(ours["components"]?.[kind]) !== JSON.stringify(theirs["components"]?.[kind])) return `components.${kind}`;
  }
  return undefined;
}

function text(item: Json): string {
  return JSON.stringify(item, (key, value) => (key === "servers" || key === "security" ? undefined : value));
}
