/**
 * One walk of the document before api.ts is typed, answering whether two steps that would each walk all of it have
 * anything to do, and where (GitHub's 13 MB spec: ~0.1 s of CPU for the two walks, ~0.05 s for this one):
 *
 * - `pathSchemaRefs`: a `$ref` to a schema inside `paths` or `webhooks`, which api-types-refs.ts moves to
 *   `components.schemas` (without one it changes nothing);
 * - `mayHaveDiscriminators`: whether openapi-typescript's scanDiscriminators could find or change anything: it collects
 *   the objects with a `discriminator` (and patches the schemas they map to) and otherwise answers nothing found; it
 *   also throws on an `allOf` item that is not an object. Without either, its two walks (discriminators.ts) are skipped.
 * - `scanWithin`: the objects and arrays whose contents hold an object with a `discriminator` or an `allOf` member,
 *   themselves included; the only places where the scan's two walks act (discriminators.ts). GitHub's spec has 179
 *   of ~90,000. Undefined when the document is nested too deep to note them (the scan then walks everything).
 */
import { isPathSchemaRef } from "./api-types-refs.ts";

export interface DocumentTraits {
  pathSchemaRefs: boolean;
  mayHaveDiscriminators: boolean;
  scanWithin?: ReadonlySet<object> | undefined;
}

/** Deeper than this the walk below stops noting containers (its recursion must not run out of stack). */
const MAX_DEPTH = 2000;

class TooDeep extends Error {}

export function documentTraits(root: unknown): DocumentTraits {
  const traits: DocumentTraits = { pathSchemaRefs: false, mayHaveDiscriminators: false };
  const within = new Set<object>();
  /** Notes the traits of `node`'s contents; whether any object there has a `discriminator` or an `allOf` member. */
  const visit = (node: object, depth: number): boolean => {
    if (depth > MAX_DEPTH) throw new TooDeep();
    let holds = false;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === "object" && visit(item, depth + 1)) holds = true;
    } else {
      const object = node as Record<string, unknown>;
      if ("discriminator" in object) traits.mayHaveDiscriminators = holds = true;
      if ("allOf" in object) {
        holds = true;
        const allOf = object["allOf"];
        if (Array.isArray(allOf) && allOf.some((item) => item === null || typeof item !== "object")) traits.mayHaveDiscriminators = true;
      }
      for (const key in object) {
        const value = object[key];
        if (value === null || typeof value !== "object") {
          if (key === "$ref" && typeof value === "string" && (value.includes("paths/") || value.includes("webhooks/")) && isPathSchemaRef(value)) traits.pathSchemaRefs = true;
        } else if (visit(value, depth + 1)) {
          holds = true;
        }
      }
    }
    if (holds) within.add(node);
    return holds;
  };
  if (root === null || typeof root !== "object") return traits;
  try {
    visit(root, 0);
    traits.scanWithin = within;
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return shallowTraits(root);
  }
  return traits;
}

/** The two answers alone, without recursion (a document nested deeper than MAX_DEPTH). */
function shallowTraits(root: unknown): DocumentTraits {
  const traits = { pathSchemaRefs: false, mayHaveDiscriminators: false };
  const stack = [root];
  while (stack.length > 0 && !(traits.pathSchemaRefs && traits.mayHaveDiscriminators)) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const object = node as Record<string, unknown>;
    if ("discriminator" in object) traits.mayHaveDiscriminators = true;
    const allOf = object["allOf"];
    if (Array.isArray(allOf) && allOf.some((item) => item === null || typeof item !== "object")) traits.mayHaveDiscriminators = true;
    for (const key in object) {
      const value = object[key];
      // Only a ref with `paths/` or `webhooks/` in it can be one (its second segment, then a `schema` one).
      if (key === "$ref" && typeof value === "string") {
        if ((value.includes("paths/") || value.includes("webhooks/")) && isPathSchemaRef(value)) traits.pathSchemaRefs = true;
      } else {
        stack.push(value);
      }
    }
  }
  return traits;
}
