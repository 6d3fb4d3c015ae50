/**
 * Prepares a document for openapi-typescript: schema `$ref`s that point inside `paths` (or `webhooks`) are moved to
 * `components.schemas`.
 *
 * Why: openapi-typescript types a `$ref` as an indexed access into its own output, e.g.
 * `#/paths/~1a/post/requestBody/content/application~1json/schema/properties/b` becomes
 * `paths["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"]["b"]`, which does not typecheck:
 * `requestBody` is optional and its media types have no `schema` member in the output (TS2339). Found by the corpus
 * typecheck on oas-examples 3.0/circular-paths.json. A schema under `components.schemas` is typed by name, so each
 * such target gets a component of its own (recursion keeps working: the target's own refs are rewritten too).
 *
 * Only refs with a `schema` segment are moved: within `paths` every Schema Object sits at or below a `schema`
 * keyword, and other refs there (a path item `$ref` to another path item) are not schemas.
 */
import { forEachRef, pointerTarget } from "../model/refs.ts";
import type { SpecDocument } from "../spec/load.ts";

const PREFIX = "#/components/schemas/";

export function hoistPathSchemaRefs(document: SpecDocument): SpecDocument {
  const targets = new Map<string, string>();
  const components = (document["components"] ?? {}) as Record<string, unknown>;
  const taken = new Set(Object.keys((components["schemas"] ?? {}) as Record<string, unknown>));
  forEachRef(document, (ref) => {
    if (targets.has(ref) || !isPathSchemaRef(ref)) return;
    const base = ref.slice(2).replace(/~1/g, "/").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    targets.set(ref, name);
  });
  if (targets.size === 0) return document;

  // Copy-on-write: only the objects on the way to a rewritten `$ref` are copied.
  const rewrite = (node: unknown): unknown => {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) {
      const items = node.map(rewrite);
      return items.some((item, i) => item !== node[i]) ? items : node;
    }
    const source = node as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(source)) {
      const next = key === "$ref" && typeof value === "string" && targets.has(value) ? `${PREFIX}${targets.get(value)}` : rewrite(value);
      if (next !== value) (out ??= { ...source })[key] = next;
    }
    return out ?? source;
  };
  const hoisted = Object.fromEntries([...targets].map(([ref, name]) => [name, rewrite(pointerTarget(document, ref) ?? {})]));
  const result = rewrite(document) as SpecDocument;
  const resultComponents = (result["components"] ?? {}) as Record<string, unknown>;
  return {
    ...result,
    components: { ...resultComponents, schemas: { ...((resultComponents["schemas"] ?? {}) as object), ...hoisted } },
  };
}

export function isPathSchemaRef(ref: string): boolean {
  const segments = ref.split("/");
  return (segments[1] === "paths" || segments[1] === "webhooks") && segments.includes("schema");
}
