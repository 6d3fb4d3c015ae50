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
import { pointerOf } from "../model/refs.ts";
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
  return documentTraitsAndRefs(root) ?? shallowTraits(root);
}

/**
 * documentTraits' walk, calling `visitRef` on the way for each `$ref` string exactly as forEachRef (model/refs.ts)
 * would: the same refs in the same order (an object's own `$ref` before anything inside it), with the same holder
 * pointers. The spec loader reads the document's refs with it when api.ts will be rendered in the same thread from the
 * same document (spec/load.ts), so that the whole document is walked once for both (GitHub's 13 MB: ~0.05 s per walk).
 * Undefined when the document is nested deeper than MAX_DEPTH: the walk then stopped part way, `visitRef` having seen
 * only some of the refs.
 */
export function documentTraitsAndRefs(root: unknown, visitRef?: (ref: string, holder: () => string) => void): DocumentTraits | undefined {
  const traits: DocumentTraits = { pathSchemaRefs: false, mayHaveDiscriminators: false };
  if (root === null || typeof root !== "object") return traits;
  const within = new Set<object>();
  /** The keys from the root to the node being visited (its first `depth` entries), for `holder`. */
  const path: (string | number)[] = [];
  let depth = 0;
  const holder = (): string => pointerOf(path, depth);
  /** Notes the traits of `node`'s contents; whether any object there has a `discriminator` or an `allOf` member. */
  const visit = (node: object, level: number): boolean => {
    if (level > MAX_DEPTH) throw new TooDeep();
    let holds = false;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (item === null || typeof item !== "object") continue;
        path[level] = i;
        if (visit(item, level + 1)) holds = true;
      }
    } else {
      const object = node as Record<string, unknown>;
      if ("discriminator" in object) traits.mayHaveDiscriminators = holds = true;
      if ("allOf" in object) {
        holds = true;
        const allOf = object["allOf"];
        if (Array.isArray(allOf) && allOf.some((item) => item === null || typeof item !== "object")) traits.mayHaveDiscriminators = true;
      }
      const ref = object["$ref"];
      if (typeof ref === "string") {
        if ((ref.includes("paths/") || ref.includes("webhooks/")) && isPathSchemaRef(ref)) traits.pathSchemaRefs = true;
        if (visitRef) {
          depth = level;
          visitRef(ref, holder);
        }
      }
      for (const key in object) {
        const value = object[key];
        if (value === null || typeof value !== "object") continue;
        path[level] = key;
        if (visit(value, level + 1)) holds = true;
      }
    }
    if (holds) within.add(node);
    return holds;
  };
  try {
    visit(root, 0);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return undefined;
  }
  traits.scanWithin = within;
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
