/**
 * swagger2openapi's own conversion of a Swagger 2.0 document (as api-types.ts runs it), and where swagger2-convert.ts's
 * conversion, or api.ts rendered from it, differs from the library's: for the tests that hold the two to each other
 * and for swagger2-check.ts.
 */
import { createRequire } from "node:module";
import { renderApiTypes, type ApiTypes } from "../generator/emit/api-types.ts";
import type { SpecVersion } from "../generator/model/types.ts";
import type { SpecDocument } from "../generator/spec/load.ts";

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

/** api.ts rendered through swagger2-convert.ts (when it converts) and through the library's conversion only. */
export async function renderedBothWays(document: unknown, version: SpecVersion): Promise<{ ours: ApiTypes; library: ApiTypes }> {
  // Each rendering gets its own copy: the discriminator scan patches the document it renders.
  const ours = await renderApiTypes(structuredClone(document) as SpecDocument, version);
  const library = await renderApiTypes(structuredClone(document) as SpecDocument, version, undefined, true);
  return { ours, library };
}

/** Where two api.ts texts first differ, with `context` characters either side; undefined when they are the same. */
export function firstDifference(ours: string, library: string, context = 60): string | undefined {
  if (ours === library) return undefined;
  let at = 0;
  while (ours[at] === library[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - context), at + context));
  return `differs at offset ${at}: ours ${around(ours)}, the library's ${around(library)}`;
}
