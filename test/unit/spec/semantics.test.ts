/**
 * spec/semantics.ts: its quick pass says a Swagger 2.0 document passes swagger-parser's semantic checks only when the
 * library's checks throw nothing, and checkSwaggerSemantics throws the library's own error otherwise.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { checkSwaggerSemantics, OPERATION_METHODS, semanticsPass } from "../../../scripts/generator/spec/semantics.ts";
import { checkSemantics } from "../../../scripts/generator/spec/swagger-parser.ts";

type Json = Record<string, any>;

/** A check's verdict and message on a copy (the checks read only, but a copy keeps the cases apart). */
function outcomeOf(check: (document: Json) => void, document: Json): string | undefined {
  try {
    check(structuredClone(document));
    return undefined;
  } catch (error) {
    return String(error);
  }
}

const libraryOutcome = (document: Json): string | undefined => outcomeOf(checkSemantics, document);
const ourOutcome = (document: Json): string | undefined => outcomeOf(checkSwaggerSemantics, document);

const info = { title: "t", version: "1" };
const ok = { 200: { description: "ok" } };
const doc = (paths: Json, extra: Json = {}): Json => ({ swagger: "2.0", info, paths, ...extra });
const idParam = { name: "id", in: "path", required: true, type: "string" };

/** One document per problem the library finds (and a few it lets pass), each with its reason. */
const CASES: [string, Json][] = [
  ["valid", doc({ "/a/{id}": { parameters: [idParam], get: { operationId: "g", responses: ok }, put: { responses: ok } } })],
  ["an OpenAPI 3 document (not checked)", { openapi: "3.0.0", paths: { "/a": { get: { operationId: "x" }, put: { operationId: "x" } } } }],
  ["duplicate operation ids across paths", doc({ "/a": { get: { operationId: "x", responses: ok } }, "/b": { get: { operationId: "x", responses: ok } } })],
  ["duplicate path-level parameters", doc({ "/a": { parameters: [{ name: "q", in: "query", type: "string" }, { name: "q", in: "query", type: "string" }], get: { responses: ok } } })],
  ["duplicate path-level parameters, no operation", doc({ "/a": { parameters: [{ name: "q", in: "query", type: "string" }, { name: "q", in: "query", type: "string" }] } })],
  ["duplicate operation parameters", doc({ "/a": { get: { parameters: [{ name: "q", in: "query", type: "string" }, { name: "q", in: "query", type: "integer" }], responses: ok } } })],
  ["an operation parameter overriding a path one", doc({ "/a": { parameters: [{ name: "q", in: "query", type: "string" }], get: { parameters: [{ name: "q", in: "query", type: "integer" }], responses: ok } } })],
  ["two bodies", doc({ "/a": { post: { parameters: [{ name: "a", in: "body", schema: {} }, { name: "b", in: "body", schema: {} }], responses: ok } } })],
  ["a body and form data", doc({ "/a": { post: { parameters: [{ name: "a", in: "body", schema: {} }, { name: "b", in: "formData", type: "string" }], responses: ok } } })],
  ["a body on the path and form data on the operation", doc({ "/a": { parameters: [{ name: "a", in: "body", schema: {} }], post: { parameters: [{ name: "b", in: "formData", type: "string" }], responses: ok } } })],
  ["a placeholder named twice", doc({ "/a/{id}/{id}": { get: { parameters: [idParam], responses: ok } } })],
  ["a placeholder named twice, no operation", doc({ "/a/{id}/{id}": {} })],
  ["an optional path parameter", doc({ "/a/{id}": { get: { parameters: [{ ...idParam, required: false }], responses: ok } } })],
  ["a path parameter without a placeholder", doc({ "/a": { get: { parameters: [idParam], responses: ok } } })],
  ["a placeholder without a parameter", doc({ "/a/{id}": { get: { responses: ok } } })],
  ["a path that does not start with a slash (not checked)", doc({ "a/{id}": { get: { responses: ok } } })],
  ["a query parameter of an unknown type", doc({ "/a": { get: { parameters: [{ name: "q", in: "query", type: "object" }], responses: ok } } })],
  ["a query array without items", doc({ "/a": { get: { parameters: [{ name: "q", in: "query", type: "array" }], responses: ok } } })],
  ["a body schema of type file", doc({ "/a": { post: { parameters: [{ name: "b", in: "body", schema: { type: "file" } }], responses: ok } } })],
  ["a body schema without a type", doc({ "/a": { post: { parameters: [{ name: "b", in: "body", schema: { properties: {} } }], responses: ok } } })],
  ["a body without a schema", doc({ "/a": { post: { parameters: [{ name: "b", in: "body" }], responses: ok } } })],
  ["a body missing a required property", doc({ "/a": { post: { parameters: [{ name: "b", in: "body", schema: { type: "object", required: ["z"], properties: { a: {} } } }], responses: ok } } })],
  ["a body whose required property is in its allOf", doc({ "/a": { post: { parameters: [{ name: "b", in: "body", schema: { type: "object", required: ["a"], allOf: [{ properties: { a: { type: "string" } } }] } }], responses: ok } } })],
  ["a file in form data with a multipart consumes", doc({ "/a": { post: { consumes: ["multipart/form-data"], parameters: [{ name: "f", in: "formData", type: "file" }], responses: ok } } })],
  ["a file in form data with the document's consumes", doc({ "/a": { post: { parameters: [{ name: "f", in: "formData", type: "file" }], responses: ok } } }, { consumes: ["application/x-www-form-urlencoded"] })],
  ["a file in form data without a form consumes", doc({ "/a": { post: { consumes: ["application/json"], parameters: [{ name: "f", in: "formData", type: "file" }], responses: ok } } })],
  ["a file in a query", doc({ "/a": { get: { parameters: [{ name: "f", in: "query", type: "file" }], responses: ok } } })],
  ["response code 99", doc({ "/a": { get: { responses: { 99: { description: "x" } } } } })],
  ["response code 600", doc({ "/a": { get: { responses: { 600: { description: "x" } } } } })],
  ["response code 2XX (not a number: passes)", doc({ "/a": { get: { responses: { "2XX": { description: "x" } } } } })],
  ["a default response", doc({ "/a": { get: { responses: { default: { description: "x" } } } } })],
  ["a response header of an unknown type", doc({ "/a": { get: { responses: { 200: { description: "x", headers: { H: { type: "object" } } } } } } })],
  ["a response header array without items", doc({ "/a": { get: { responses: { 200: { description: "x", headers: { H: { type: "array" } } } } } } })],
  ["a response schema of an unknown type", doc({ "/a": { get: { responses: { 200: { description: "x", schema: { type: "strin" } } } } } })],
  ["a response schema of type file", doc({ "/a": { get: { responses: { 200: { description: "x", schema: { type: "file" } } } } } })],
  ["a response array schema without items", doc({ "/a": { get: { responses: { 200: { description: "x", schema: { type: "array" } } } } } })],
  ["a null response", doc({ "/a": { get: { responses: { 200: null } } } })],
  ["a definition missing a required property", doc({}, { definitions: { A: { type: "object", required: ["b"], properties: { a: {} } } } })],
  ["a definition of several types, one of them object", doc({}, { definitions: { A: { type: ["object", "null"], required: ["b"] } } })],
  ["a definition of several types, none an object", doc({}, { definitions: { A: { type: ["string", "null"], required: ["b"] } } })],
  ["a definition requiring `constructor` (found on Object.prototype by the library)", doc({}, { definitions: { A: { type: "object", required: ["constructor"] } } })],
  ["a definition with a property named hasOwnProperty", doc({}, { definitions: { A: { type: "object", required: ["a"], properties: { hasOwnProperty: {}, a: {} } } } })],
  ["a null definition", doc({}, { definitions: { A: null } })],
  ["a null parameter", doc({ "/a": { get: { parameters: [null], responses: ok } } })],
  ["parameters that are no list", doc({ "/a": { parameters: { a: 1 }, get: { responses: ok } } })],
  ["an operation that is a string", doc({ "/a": { get: "x" } })],
];

describe("swagger-parser's semantic checks, with a quick pass first", () => {
  it("visit the operations the library visits", () => {
    const fromSwaggerParser = createRequire(createRequire(import.meta.url).resolve("@apidevtools/swagger-parser"));
    expect(OPERATION_METHODS).toEqual(fromSwaggerParser("@apidevtools/swagger-methods"));
  });

  it.each(CASES)("%s: the library's outcome, and a quick pass only where it throws nothing", (_, document) => {
    const want = libraryOutcome(document);
    expect(ourOutcome(document)).toBe(want);
    if (semanticsPass(structuredClone(document))) expect(want).toBeUndefined();
  });

  it("pass quickly exactly where the library passes, on 3,000 random documents without file parameters", () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    const pick = <T>(choices: readonly T[]): T => choices[random(choices.length)]!;
    const some = <T>(choices: readonly T[], most: number): T[] => Array.from({ length: random(most + 1) }, () => pick(choices));
    const PARAMETERS: Json[] = [
      idParam, { ...idParam, required: false }, { name: "x", in: "path", required: true, type: "integer" },
      { name: "q", in: "query", type: "string" }, { name: "q", in: "query", type: "array" }, { name: "q", in: "query", type: "array", items: { type: "string" } },
      { name: "r", in: "query", type: "number" }, { name: "h", in: "header", type: "object" }, { name: "h", in: "header", type: "boolean" },
      { name: "b", in: "body", schema: { type: "object", required: ["a"], properties: { a: { type: "string" } } } },
      { name: "b", in: "body", schema: { type: "object", required: ["z"], properties: { a: {} } } },
      { name: "c", in: "body", schema: { type: "object", required: ["a"], allOf: [{ properties: { a: {} } }] } },
      { name: "f", in: "formData", type: "string" }, { name: "g", in: "formData", type: "strin" },
    ];
    const RESPONSES: [string, Json][] = [
      ["200", { description: "ok" }], ["default", { description: "x" }], ["99", { description: "x" }], ["404", { description: "x", schema: { type: "array" } }],
      ["201", { description: "x", schema: { type: "array", items: {} } }], ["202", { description: "x", headers: { H: { type: "string" } } }],
      ["203", { description: "x", headers: { H: { type: "object" } } }], ["204", { description: "x", schema: { type: "object", required: ["q"] } }],
    ];
    const DEFINITIONS: Json[] = [
      { type: "object", required: ["a"], properties: { a: {} } }, { type: "object", required: ["b"] }, { type: ["object", "null"], required: ["c"], properties: { c: {} } },
      { required: ["x"] }, { type: "object", required: ["a"], allOf: [{ properties: { a: {} } }, { allOf: [{ properties: { b: {} } }] }] },
    ];
    const PATHS = ["/a", "/a/{id}", "/b/{id}/{x}", "/c/{id}/{id}", "/d/{x}", "e"];
    let passing = 0;
    const total = 3000;
    for (let n = 0; n < total; n++) {
      const paths: Json = {};
      for (const name of some(PATHS, 3)) {
        const item: Json = random(3) === 0 ? { parameters: some(PARAMETERS, 2) } : {};
        for (const method of some(OPERATION_METHODS, 2)) {
          const operation: Json = { responses: Object.fromEntries(some(RESPONSES, 2)) };
          const operationId = pick(["g", "h", "", undefined, undefined]);
          if (operationId !== undefined) operation["operationId"] = operationId;
          if (random(4) !== 0) operation["parameters"] = some(PARAMETERS, 3);
          item[method] = operation;
        }
        paths[name] = item;
      }
      const document = doc(paths, random(2) === 0 ? { definitions: Object.fromEntries(some(DEFINITIONS, 2).map((d, i) => [`D${i}`, d])) } : {});
      const want = libraryOutcome(document);
      expect(semanticsPass(structuredClone(document)), JSON.stringify(document)).toBe(want === undefined);
      expect(ourOutcome(document)).toBe(want);
      if (want === undefined) passing++;
    }
    // Both outcomes are common, so the comparison means something either way.
    expect(passing).toBeGreaterThan(total / 10);
    expect(passing).toBeLessThan(total * 0.9);
  });
});
