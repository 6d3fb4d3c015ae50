/**
 * api-types-scan.ts: its one walk says "nothing to do" only where hoisting path schema refs changes nothing, and where
 * openapi-typescript's discriminator scan finds nothing and changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { hoistPathSchemaRefs } from "../../../scripts/generator/emit/api-types-refs.ts";
import { documentTraits, documentTraitsAndRefs } from "../../../scripts/generator/emit/api-types-scan.ts";
import { importOpenApiTypescript } from "../../../scripts/generator/emit/openapi-typescript-load.ts";
import { forEachRef } from "../../../scripts/generator/model/refs.ts";
import { loadSpec, type SpecDocument } from "../../../scripts/generator/spec/load.ts";

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

/** Every `$ref` a walk visits, with its holder's pointer. */
function refsOf(walk: (visit: (ref: string, holder: () => string) => void) => unknown): [string, string][] {
  const seen: [string, string][] = [];
  walk((ref, holder) => seen.push([ref, holder()]));
  return seen;
}

describe("documentTraitsAndRefs", () => {
  const tree = {
    $ref: "#/root",
    paths: {
      "/a/{b}": { get: { parameters: [{ $ref: "#/p/0" }, { schema: { items: { $ref: "#/paths/~1a~1{b}/get/x/schema" } } }] } },
      "c~d": { $ref: "#/p/2", deeper: { $ref: "#/p/3" } },
    },
    after: [[{ $ref: "#/p/4" }], null, "text", { $ref: 5 }, { allOf: [{ discriminator: { propertyName: "k" } }] }],
    last: { inner: { $ref: "#/p/7" }, $ref: "#/p/6" },
  };

  it("visits the refs forEachRef visits, in its order and with its pointers, and notes documentTraits' traits", () => {
    let traits: unknown;
    const seen = refsOf((visit) => (traits = documentTraitsAndRefs(tree, visit)));
    expect(seen).toEqual(refsOf((visit) => forEachRef(tree, visit)));
    expect(seen.map(([ref]) => ref)).toContain("#/p/6");
    expect(traits).toEqual(documentTraits(tree));
    expect(documentTraits(tree)).toMatchObject({ pathSchemaRefs: true, mayHaveDiscriminators: true });
    for (const [, document] of CASES) expect(documentTraitsAndRefs(document, () => {})).toEqual(documentTraits(document));
  });

  it("notes `discriminator` and `allOf` members wherever they stand among an object's keys, whatever their value", () => {
    /** The containers whose contents hold an object with either member, themselves included (a plain recursion). */
    const holding = (node: unknown, into: Set<object>): boolean => {
      if (node === null || typeof node !== "object") return false;
      const own = !Array.isArray(node) && (Object.hasOwn(node, "discriminator") || Object.hasOwn(node, "allOf"));
      let holds = own;
      for (const value of Object.values(node)) if (holding(value, into)) holds = true;
      if (holds) into.add(node);
      return holds;
    };
    const documents: [unknown, boolean][] = [
      [{ a: { b: { c: 1 } }, discriminator: null }, true],
      [{ list: [{ x: { y: 1 } }, { z: { allOf: null, w: { v: 1 } } }], other: { u: [] } }, false],
      [{ a: [[{ k: { allOf: [{}, "text"] } }]], b: { discriminator: "k" } }, true],
      [{ allOf: [{ type: "object" }] }, false],
      [{ a: { "x-allOf": {}, discriminators: {}, allof: [1] } }, false],
    ];
    for (const [document, mayHaveDiscriminators] of documents) {
      const expected = new Set<object>();
      holding(document, expected);
      const traits = documentTraitsAndRefs(document);
      expect(traits?.mayHaveDiscriminators).toBe(mayHaveDiscriminators);
      expect(traits?.scanWithin).toEqual(expected);
    }
  });

  it("says nothing for a document nested too deep to note the traits (the refs are then read again)", () => {
    let deep: Record<string, unknown> = { $ref: "#/bottom", discriminator: {} };
    for (let i = 0; i < 3_000; i++) deep = { x: deep };
    expect(documentTraitsAndRefs(deep, () => {})).toBeUndefined();
    expect(documentTraits(deep)).toEqual({ pathSchemaRefs: false, mayHaveDiscriminators: true });
  });

  it("is what the spec loader gives the renderer, an OpenAPI 3 document's only, with the same dangling refs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scan-"));
    const dangling = { $ref: "#/components/schemas/Nope" };
    let deep: Record<string, unknown> = { inner: dangling };
    for (let i = 0; i < 2_500; i++) deep = { x: deep };
    const responses = { 200: { description: "ok", content: { "application/json": { schema: dangling } } } };
    const specs = {
      "todo-api": ["openapi/todo-api.yaml", true],
      dangling: [{ openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/a": { get: { responses } } } }, true],
      "too deep": [{ openapi: "3.0.3", info: { title: "t", version: "1" }, paths: {}, "x-deep": deep, "x-after": dangling }, false],
      "swagger 2.0": [{ swagger: "2.0", info: { title: "t", version: "1" }, paths: {}, definitions: { A: dangling } }, false],
    } as const;
    try {
      for (const [name, [spec, noted]] of Object.entries(specs)) {
        const path = typeof spec === "string" ? spec : join(dir, `${name}.json`);
        if (typeof spec !== "string") writeFileSync(path, JSON.stringify(spec));
        const plain = await loadSpec(path);
        const withTraits = await loadSpec(path, undefined, { apiTypesTraits: true });
        expect(plain.apiTypesTraits, name).toBeUndefined();
        expect(withTraits.apiTypesTraits, name).toEqual(noted ? documentTraits(withTraits.document) : undefined);
        expect(withTraits.dangling, name).toEqual(plain.dangling);
        if (name !== "todo-api") expect(plain.dangling!.length, name).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
