/**
 * api-types-scan.ts: its one walk says "nothing to do" only where hoisting path schema refs changes nothing, and where
 * openapi-typescript's discriminator scan finds nothing and changes nothing.
 */
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { hoistPathSchemaRefs } from "../../../scripts/generator/emit/api-types-refs.ts";
import { documentTraits } from "../../../scripts/generator/emit/api-types-scan.ts";
import { importOpenApiTypescript } from "../../../scripts/generator/emit/openapi-typescript-load.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

const body = (schema: unknown) => ({ requestBody: { content: { "application/json": { schema } } } });
const CASES: [string, SpecDocument][] = [
  ["nothing", { paths: { "/a": { post: body({ $ref: "#/components/schemas/A" }) } }, components: { schemas: { A: { type: "string" } } } }],
  ["a ref to a schema in paths", { paths: { "/a": { post: body({ type: "object", properties: { b: { type: "string" } } }) }, "/c": { post: body({ $ref: "#/paths/~1a/post/requestBody/content/application~1json/schema/properties/b" }) } } }],
  ["a ref into webhooks", { webhooks: { w: { post: body({ type: "string" }) } }, components: { schemas: { A: { $ref: "#/webhooks/w/post/requestBody/content/application~1json/schema" } } } }],
  ["a path item ref (no schema segment)", { paths: { "/a": { get: {} }, "/b": { $ref: "#/paths/~1a" } } }],
  ["a discriminator", { components: { schemas: { A: { type: "object", discriminator: { propertyName: "k" }, oneOf: [{ $ref: "#/components/schemas/B" }] }, B: { type: "object" } } } }],
  ["an allOf item that is no object", { components: { schemas: { A: { allOf: ["x"] } } } }],
  ["an allOf of objects", { components: { schemas: { A: { allOf: [{ type: "object" }] } } } }],
];

describe("documentTraits", () => {
  for (const [name, document] of CASES) {
    it(name, async () => {
      const traits = documentTraits(document);
      expect(traits.pathSchemaRefs).toBe(hoistPathSchemaRefs(document) !== document);
      const library = await importOpenApiTypescript();
      const copy = structuredClone(document);
      let scan: unknown;
      try {
        scan = library.scanDiscriminators(copy as never, { silent: true });
      } catch (error) {
        scan = error;
      }
      const findsOrChanges = scan instanceof Error || !isDeepStrictEqual(scan, { objects: {}, refsHandled: [] }) || !isDeepStrictEqual(copy, document);
      if (findsOrChanges) expect(traits.mayHaveDiscriminators).toBe(true);
      expect(traits.mayHaveDiscriminators).toBe(name.includes("discriminator") || name.includes("no object"));
    });
  }
});
