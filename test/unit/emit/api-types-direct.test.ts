/**
 * api-types-direct.ts against its oracle, openapi-typescript itself (its transform, printed as api.ts prints it):
 * every document below is rendered both ways and must come out byte for byte the same; the documents the direct
 * emitter must refuse (where the library throws, or does something it does not repeat) must be refused, and api.ts
 * must then still be the library's. The whole corpus is compared the same way in
 * test/corpus/api-types-oracles.test.ts.
 */
import { describe, expect, it } from "vitest";
import { apiTypesTree, renderApiTypes } from "../../../scripts/generator/emit/api-types.ts";
import { refType } from "../../../scripts/generator/emit/api-types-literals.ts";
import { operationRefType } from "../../../scripts/generator/emit/api-types-operations.ts";
import { TextBody, Unsupported, Utf8Body } from "../../../scripts/generator/emit/api-types-text.ts";
import { createRef } from "../../../scripts/generator/emit/openapi-typescript-refs.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

const ok = { "200": { description: "OK" } };
const doc = (extra: Record<string, unknown>): SpecDocument => ({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {}, ...extra });
const schemas = (schemas: Record<string, unknown>): SpecDocument => doc({ components: { schemas } });
const nested = (depth: number): unknown => (depth === 0 ? { type: "string" } : { type: "array", items: nested(depth - 1) });

/** The library's api.ts body for a document (or the error body when it throws), and the direct emitter's. */
async function both(document: SpecDocument) {
  const tree = await apiTypesTree(structuredClone(document), "3.1");
  let library: string;
  try {
    const nodes = tree.transform();
    library = tree.print(nodes) ?? tree.astToString(nodes as never);
  } catch {
    library = "(the library throws)";
  }
  return { library, direct: tree.direct };
}

const SAME: [string, SpecDocument][] = [
  ["no paths, no components", doc({ paths: undefined })],
  ["empty paths", doc({})],
  [
    "scalars, nullable, type lists, const and enum",
    schemas({
      s: { type: "string", format: "date-time", nullable: true },
      n: { type: ["number", "null"] },
      i: { type: "integer", enum: [1, -2, 0.5, null], nullable: true },
      e: { enum: ["a", "b\"c", "ü"], description: "an enum" },
      c: { const: { a: [1, "x", true, null], b: {}, "c-d": [], 7: -1 } },
      b: { type: "boolean", default: false },
      nul: { type: "null", nullable: true },
      t: { type: ["string", "integer"], oneOf: [{ type: "string", minLength: 1 }, { type: "boolean" }] },
      bools: { enum: [true, true, false, false] },
      numbers: { enum: [1, 1, -1, -1, 1e21, 0] },
      nulls: { type: ["null", "string", "null", "string"] },
      mixed: { anyOf: [{ type: "string" }, { const: "a" }, { const: "a" }, { type: "boolean" }, { type: "boolean" }, { enum: [null] }, { type: "null" }] },
      empty: {},
      obj: { type: "object" },
      yes: true,
      no: false,
    }),
  ],
  [
    "arrays and tuples",
    schemas({
      a: { type: "array", items: { type: "string" } },
      aa: { type: "array", items: { type: "array", items: { oneOf: [{ type: "string" }, { type: "number" }] } } },
      an: { type: "array", items: { type: "array", nullable: true, items: { type: "string" } } },
      t: { type: "array", prefixItems: [{ type: "string" }, { $ref: "#/components/schemas/a" }, { type: "object", properties: { x: { type: "string" } } }] },
      legacy: { type: "array", items: [{ type: "number" }] },
      bare: { type: "array" },
      u: { type: "array", items: { anyOf: [{ type: "string" }, { type: "string" }, { type: "null" }, { type: "null" }] } },
    }),
  ],
  [
    "objects: properties, defaults, readOnly, additional and pattern properties, $defs",
    schemas({
      o: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string", readOnly: true },
          "with-dash": { type: "integer", default: 3 },
          "123": { type: "string" },
          "01": { type: "string" },
          "-1": { type: "string" },
          "é\u2028\"\\\u0000\u00001\t": { type: "string" },
          ref: { $ref: "#/components/schemas/p", description: "a ref with a sibling" },
          any: true,
        },
        additionalProperties: { type: "integer" },
      },
      p: { type: "object", properties: { x: { type: "string" } }, additionalProperties: true, patternProperties: { "^x": { type: "number" } } },
      q: { type: "object", additionalProperties: {} },
      d: { type: "object", $defs: { inner: { type: "string", readOnly: true, title: "Inner" } }, properties: { a: { $ref: "#/components/schemas/d/$defs/inner" } } },
      r: { type: "object", required: "abc", properties: { a: { type: "string" }, d: { type: "string" } } },
      pct: { type: "object", properties: { "b%20c": { type: "object", properties: { "%41": { type: "object", properties: { d: { type: "string", default: "x" } } } } } } },
      // A property of a primitive type is given no pointer unless it composes (then one below reads it: `default`).
      composed: { type: "object", properties: { s: { type: "string", allOf: [{ properties: { d: { type: "string", default: "x" } } }] }, n: { type: "null", anyOf: [{ properties: { d: { type: "number", default: 1 } } }] }, "b%": { type: "string" } } },
    }),
  ],
  [
    "the footer in the order met: operations, then WithRequired (a component's allOf)",
    doc({
      paths: { "/a": { get: { operationId: "getA", responses: ok } } },
      components: { schemas: { base: { type: "object", properties: { a: { type: "string" } } }, child: { allOf: [{ $ref: "#/components/schemas/base" }], required: ["a"] } } },
    }),
  ],
  [
    "the footer in the order met: WithRequired (a path's body), then operations",
    doc({
      paths: {
        "/w": { post: { requestBody: { content: { "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/base" }], required: ["a"] } } } }, responses: ok } },
        "/a": { get: { operationId: "getA", responses: ok } },
      },
      components: { schemas: { base: { type: "object", properties: { a: { type: "string" } } } } },
    }),
  ],
  [
    "compositions: allOf with required (WithRequired), anyOf, oneOf of primitives and not",
    schemas({
      base: { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } },
      child: { allOf: [{ $ref: "#/components/schemas/base" }, { type: "object", properties: { c: { type: "string" } } }], required: ["a", "c"] },
      mixed: { type: "object", properties: { z: { type: "string" } }, anyOf: [{ $ref: "#/components/schemas/base" }, { type: "string" }], nullable: true },
      prim: { oneOf: [{ type: "string" }, { type: "number" }, { type: "string" }] },
      objs: { oneOf: [{ $ref: "#/components/schemas/base" }, { type: "object", properties: { y: { type: "string" } } }] },
      objectEnum: { type: "object", enum: [{ type: "string" }] },
    }),
  ],
  [
    "discriminators: oneOf with a mapping, allOf inheriting one (Omit, the property added)",
    schemas({
      Pet: { type: "object", required: ["petType"], properties: { petType: { type: "string" } }, discriminator: { propertyName: "petType", mapping: { dog: "#/components/schemas/Dog", kitty: "Cat" } } },
      Dog: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: "object", properties: { bark: { type: "boolean" } } }] },
      Cat: { allOf: [{ $ref: "#/components/schemas/Pet" }], anyOf: [{ type: "object" }] },
      Any: { oneOf: [{ $ref: "#/components/schemas/Dog" }, { $ref: "#/components/schemas/Cat" }], discriminator: { propertyName: "petType" } },
      Inline: { allOf: [{ type: "object", discriminator: { propertyName: "kind" }, properties: { kind: { type: "string" } } }] },
    }),
  ],
  [
    "JSDoc comments: every field, line breaks, `*/`, empty values",
    schemas({
      x: {
        type: "object",
        properties: {
          a: { title: " T\r\nitle ", summary: "s", format: "uuid", deprecated: true, description: "line 1\n  line 2 */ end\rcr", default: { k: [1] }, example: "", examples: ["e1", { e: 2 }], const: "c", enum: ["c"] },
          b: { description: "", default: "", type: ["string", "null"], enum: ["x", null] },
          c: { description: "\tindented\n\t\ttabs\n\n", example: 0 },
          d: { title: "", deprecated: false, nullable: true, enum: [1], type: "integer" },
        },
      },
    }),
  ],
  [
    "JSDoc comments written line by line (api-types-doc.ts) and those left to the printer's way",
    schemas({
      x: {
        type: "object",
        properties: {
          crlf: { description: "one\r\n two  \r\n\r\n   \r\nthree\t" },
          single: { description: "/ends with a star *" },
          end: { description: "*/ at the start, in */ the middle and at the end */" },
          ends: { title: "a */", description: "*/\n*/ b\n c */" },
          blank: { summary: "s", description: "\n\n x \n \t \n" },
          nel: { description: "a\u0085b\n\u0085c\u0085" },
          wide: { description: "é ü \u00a0\n\u00a0lead and trail\u00a0\n\ufefftab" },
          sep: { description: "a\u2028b" },
          para: { description: "a\n\u2029b" },
          cr: { description: "a\rb\r\nc" },
          format: { format: "x\ny", description: "d" },
          onlyFormat: { format: "x */ y " },
          enumType: { type: ["string", "null\n"], enum: ["a"] },
          json: { default: { a: "*/", b: ["x\ny"] }, example: [1, { c: null }] },
          stars: { description: "**/** *\n/*", examples: ["*/"] },
          // A lead ("Format: ", "@description "…) whose value is blank or starts with `/`: alone, and on a line of several.
          blankFormat: { format: "   " },
          blankFormats: { format: " \t ", description: " " },
          blankTags: { description: " ", default: "", example: "  ", examples: [" ", "/x"] },
          slashes: { format: "/ */", description: "/\n/" },
        },
      },
    }),
  ],
  [
    "paths: parameters by location (path level, overridden, $ref), bodies, responses, headers, operations with and without ids",
    doc({
      paths: {
        "/items/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, { $ref: "#/components/parameters/limit" }],
          get: {
            operationId: "get#item/%41",
            summary: "Get one",
            parameters: [{ name: "limit", in: "query", required: true, schema: { type: "integer", default: 1 } }, { name: "X-Trace", in: "header" }, { name: "c", in: "cookie", description: "a cookie", schema: { type: "object", properties: { d: { type: "string", default: "x" } } } }],
            responses: {
              "200": {
                description: "OK",
                headers: { "X-Rate": { schema: { type: "integer" }, required: true }, "X-Ref": { $ref: "#/components/headers/h" }, "X-Content": { content: { "text/plain": { schema: { type: "string" } }, "a/b": {} } }, "X-None": {} },
                content: { "application/json": { schema: { type: "object", properties: { v: { type: "string", default: "d" } } } }, "text/plain": {} },
              },
              default: { $ref: "#/components/responses/err" },
            },
          },
          post: {
            requestBody: { required: true, description: "body", content: { "application/json": { schema: { type: "object", properties: { v: { type: "string", default: "d" } } } }, "text/x": { $ref: "#/components/schemas/s" } } },
            responses: {},
          },
          put: { operationId: "put", requestBody: { $ref: "#/components/requestBodies/b" } },
          patch: { operationId: "put", requestBody: { content: {} }, responses: ok },
          delete: { $ref: "#/components/pathItems/other/get" },
        },
        "/ref": { $ref: "#/components/pathItems/other", description: "see other" },
        "/skipped": null,
      },
      webhooks: { ping: { post: { operationId: "ping", responses: ok } } },
      components: {
        schemas: { s: { type: "string" } },
        parameters: { limit: { name: "limit", in: "query", schema: { type: "integer" } }, bare: { name: "b", in: "query" }, ref: { $ref: "#/components/parameters/limit" } },
        responses: { err: { description: "error", content: { "application/json": { schema: { type: "string" } } } }, ref: { $ref: "#/components/responses/err" } },
        requestBodies: { b: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/s" } } } } },
        headers: { h: { schema: { type: "string" }, description: "a header" } },
        pathItems: { other: { get: { responses: ok } } },
      },
    }),
  ],
  [
    "$ref parameters shared by many operations at several levels (each line written once per ref and level, then reused)",
    doc({
      paths: {
        "/a/{id}": {
          parameters: [{ $ref: "#/components/parameters/id" }, { $ref: "#/components/parameters/page" }],
          get: { operationId: "getA", parameters: [{ $ref: "#/components/parameters/page" }, { $ref: "#/components/parameters/alias" }], responses: ok },
          put: { parameters: [{ $ref: "#/components/parameters/page" }, { $ref: "#/components/parameters/id" }], responses: ok },
        },
        "/b/{id}": {
          get: { operationId: "getB", parameters: [{ $ref: "#/components/parameters/id" }, { $ref: "#/components/parameters/alias" }, { $ref: "#/components/parameters/page" }], responses: ok },
          post: { parameters: [{ $ref: "#/components/parameters/page" }], responses: ok },
        },
      },
      webhooks: { ping: { parameters: [{ $ref: "#/components/parameters/page" }], post: { parameters: [{ $ref: "#/components/parameters/page" }], responses: ok } } },
      components: {
        parameters: {
          id: { name: "id", in: "path", description: "the id", schema: { type: "string" } },
          page: { name: "page", in: "query", description: "a page\nof results", schema: { type: "integer", default: 1 } },
          alias: { $ref: "#/components/parameters/page" },
        },
        pathItems: {
          other: {
            parameters: [{ $ref: "#/components/parameters/page" }, { $ref: "#/components/parameters/id" }],
            get: { parameters: [{ $ref: "#/components/parameters/page" }, { $ref: "#/components/parameters/alias" }], responses: ok },
            put: { operationId: "putOther", parameters: [{ $ref: "#/components/parameters/id" }], responses: ok },
          },
        },
      },
    }),
  ],
  ["schemas nested 400 deep", schemas({ deep: nested(400), deepObject: { type: "object", properties: { a: nested(399) } } })],
  ["root $defs as an object type", doc({ $defs: { type: "object", properties: { a: { type: "string" } } } })],
  ["root $defs that is no object type", doc({ $defs: { type: "string" } })],
];

describe("api.ts's direct emitter writes what openapi-typescript and our printer write", () => {
  for (const [name, document] of SAME) {
    it(name, async () => {
      const { library, direct } = await both(document);
      expect(direct()).toBe(library);
    });
  }
});

/** Each document, and the error the direct emitter gives up with (Unsupported, or where the library throws, the same). */
const REFUSED: [string, SpecDocument, (new (...args: never[]) => Error)?][] = [
  ["a title that is no string (the library throws)", schemas({ a: { type: "object", properties: { b: { title: 5 } } } })],
  ["an enum string with a line separator (TypeScript's printer writes it)", schemas({ a: { enum: ["a\u2028b"] } })],
  ["properties given as an array", schemas({ a: { properties: [{ type: "string" }] } })],
  ["a property schema that is null", schemas({ a: { properties: { b: null } } })],
  ["a $ref that points nowhere parseable", schemas({ a: { $ref: "" } })],
  ["schemas nested deeper than the emitter goes (the library decides)", schemas({ deep: nested(600) })],
  ["an operationId that is a number", doc({ paths: { "/a": { get: { operationId: 7, responses: ok } } } })],
  ["a path with a `%` that is no escape (the library's pointer below it throws URIError)", doc({ paths: { "/100%": { get: { responses: ok } } } }), URIError],
  ["a property with a `%` that is no escape, holding an object", schemas({ a: { type: "object", properties: { "b%": { type: "object", properties: { c: { type: "string" } } } } } }), URIError],
  ["a schema named with a `%` that is no escape, its property of a primitive type (whose pointer the library makes)", schemas({ "a%": { type: "object", properties: { b: { type: "string" } } } }), URIError],
  ["a parameter name that is an object (the library's pointer to it throws)", doc({ paths: { "/a": { get: { parameters: [{ name: {}, in: "query", schema: { type: "string" } }], responses: ok } } } }), TypeError],
];

describe("what the direct emitter does not reproduce, the library renders", () => {
  for (const [name, document, error = Unsupported] of REFUSED) {
    it(name, async () => {
      const { library, direct } = await both(document);
      expect(direct).toThrow(error);
      const rendered = await renderApiTypes(structuredClone(document), "3.1");
      if (library === "(the library throws)") expect(rendered.notice).toBeDefined();
      else expect(rendered.body).toBe(library);
    });
  }
});

describe("the body as UTF-8", () => {
  it("is TextEncoder's encoding of the text, whatever the pieces (past the buffer's first size, lone surrogates)", () => {
    const pieces = ["    a: string;\n", "é".repeat(300_000), "😀 ", "\ud800", "x".repeat(1_500_000), "\udc00 ü", "", "}\n", "\u2028".repeat(200_000)];
    const text = new TextBody();
    const utf8 = new Utf8Body();
    for (const piece of pieces) {
      text.write(piece);
      utf8.write(piece);
    }
    const operations = new Utf8Body();
    operations.write("    op: ünï;\n");
    utf8.append(operations);
    text.write("    op: ünï;\n");
    expect(Buffer.from(utf8.bytes()).equals(Buffer.from(new TextEncoder().encode(text.text)))).toBe(true);
    expect(utf8.length).toBe(text.text.length);
    expect(utf8.bytes().buffer.byteLength).toBeGreaterThan(8192); // its own buffer, never Node's pool (transferred)
  });

  it("is the text's UTF-8 for rendered documents, `length` the text's", async () => {
    for (const [name, document] of SAME) {
      const rendered = await renderApiTypes(structuredClone(document), "3.1");
      const text = (await apiTypesTree(structuredClone(document), "3.1")).direct();
      expect(rendered.utf8, name).toBeDefined();
      expect(Buffer.from(rendered.utf8!).toString("utf8"), name).toBe(text);
      expect(rendered.body, name).toBe(text);
      expect(rendered.length, name).toBe(text.length);
    }
  });
});

describe("operationRefType", () => {
  const ids = ["getA", "repos/get", "/", "a//b", "a~b", "~1", "~01", "~0~1/", " spaced ", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "ünï", "emoji 😀", "\u2028", "-1", "0", "1e3", "__proto__", "%41", "a%2Fb", "100%"];
  it("is refType(createRef([\"operations\", id])) for any id without `#`", () => {
    const outcome = (make: () => unknown): unknown => {
      try {
        return make();
      } catch (error) {
        return (error as Error).constructor;
      }
    };
    for (const id of ids) expect(outcome(() => operationRefType(id)), id).toEqual(outcome(() => refType(createRef(["operations", id]))));
  });
});
