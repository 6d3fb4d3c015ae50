/**
 * One walk of the document before api.ts is typed, answering whether two steps that would each walk all of it have
 * anything to do (GitHub's 13 MB spec: ~0.1 s of CPU for the two walks, ~0.05 s for this one):
 *
 * - `pathSchemaRefs`: a `$ref` to a schema inside `paths` or `webhooks`, which api-types-refs.ts moves to
 *   `components.schemas` (without one it changes nothing);
 * - `mayHaveDiscriminators`: whether openapi-typescript's scanDiscriminators could find or change anything: it collects
 *   the objects with a `discriminator` (and patches the schemas they map to) and otherwise answers nothing found; it
 *   also throws on an `allOf` item that is not an object. Without either, its two walks (discriminators.ts) are skipped.
 */
import { isPathSchemaRef } from "./api-types-refs.ts";

export interface DocumentTraits {
  pathSchemaRefs: boolean;
  mayHaveDiscriminators: boolean;
}

export function documentTraits(root: unknown): DocumentTraits {
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
