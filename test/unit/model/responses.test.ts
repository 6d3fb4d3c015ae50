import { describe, expect, it } from "vitest";
import { describesObject, responseInfo, type ResponseInfo } from "../../../scripts/generator/model/responses.ts";
import type { Schema, SpecVersion } from "../../../scripts/generator/model/types.ts";
import { defRef, defsOf, documentWith, refTo, registryFor } from "./helpers.ts";

const POINTER = "#/paths/~1things/get";

interface Given {
  version?: SpecVersion;
  operation: Record<string, unknown>;
  schemas?: Record<string, unknown>;
  /** Extra top-level document keys (`produces`, `components.responses`). */
  document?: Record<string, unknown>;
}

function info(given: Given): { info: ResponseInfo; outputDefs: Record<string, Schema> } {
  const version = given.version ?? "3.1";
  const document = documentWith(version, given.schemas ?? {}, given.document ?? {});
  const registry = registryFor(version, given.schemas ?? {}, given.document ?? {});
  return { info: responseInfo(document, version, given.operation, POINTER, registry), outputDefs: defsOf(registry, "output") };
}

const json = (schema: unknown) => ({ "application/json": { schema } });
const todo = { type: "object", properties: { id: { type: "string" }, secret: { type: "string", writeOnly: true } } };

describe("responseInfo (OpenAPI 3.x)", () => {
  it.each<[string, Given, ResponseInfo]>([
    [
      "200 JSON → output schema and Accept",
      { operation: { responses: { "200": { description: "ok", content: json(refTo("3.1", "Todo")) } } }, schemas: { Todo: todo } },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "200", schema: defRef("Todo") } },
    ],
    [
      "the first 2xx in status order, whatever the document order",
      {
        operation: {
          responses: {
            "404": { description: "no", content: json({ type: "object", properties: { error: { type: "string" } } }) },
            "201": { description: "created", content: json({ type: "object", properties: { b: { type: "integer" } } }) },
            "200": { description: "ok", content: json({ type: "object", properties: { a: { type: "string" } } }) },
          },
        },
      },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "200", schema: { type: "object", properties: { a: { type: "string" } } } } },
    ],
    [
      "an exact status before the 2XX range",
      { operation: { responses: { "2XX": { description: "any", content: json({ type: "string" }) }, "202": { description: "accepted", content: json({ type: "integer" }) } } } },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "202", schema: { type: "integer" } } },
    ],
    ["the 2XX range alone", { operation: { responses: { "2XX": { description: "any", content: json({ type: "string" }) } } } }, { accepts: ["application/json"], output: { contentType: "application/json", status: "2XX", schema: { type: "string" } } }],
    ["204 without content: no output, nothing to accept", { operation: { responses: { "204": { description: "gone" } } } }, { accepts: [] }],
    ["only errors and default: nothing", { operation: { responses: { default: { description: "e", content: json({ type: "object" }) }, "400": { description: "bad" } } } }, { accepts: [] }],
    [
      "JSON types first in Accept, output from the JSON one",
      { operation: { responses: { "200": { description: "ok", content: { "text/csv": { schema: { type: "string" } }, "application/vnd.github+json": { schema: { type: "array" } } } } } } },
      { accepts: ["application/vnd.github+json", "text/csv"], output: { contentType: "application/vnd.github+json", status: "200", schema: { type: "array" } } },
    ],
    ["non-JSON only: Accept, no output", { operation: { responses: { "200": { description: "ok", content: { "text/csv": { schema: { type: "string" } } } } } } }, { accepts: ["text/csv"] }],
    ["JSON without a schema: Accept, no output", { operation: { responses: { "200": { description: "ok", content: { "application/json": {} } } } } }, { accepts: ["application/json"] }],
    [
      "*/* is read as JSON for the output but never sent in Accept",
      { operation: { responses: { "200": { description: "ok", content: { "*/*": { schema: { type: "object" } } } } } } },
      { accepts: [], output: { contentType: "*/*", status: "200", schema: { type: "object" } } },
    ],
    [
      "a $ref response is resolved",
      {
        operation: { responses: { "200": { $ref: "#/components/responses/Ok" } } },
        document: { components: { responses: { Ok: { description: "ok", content: json({ type: "boolean" }) } } } },
      },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "200", schema: { type: "boolean" } } },
    ],
    [
      "writeOnly properties are dropped from the output (3.0)",
      { version: "3.0", operation: { responses: { "200": { description: "ok", content: json(todo) } } } },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "200", schema: { type: "object", properties: { id: { type: "string" } } } } },
    ],
    ["no responses at all", { operation: {} }, { accepts: [] }],
  ])("%s", (_name, given, want) => {
    expect(info(given).info).toEqual(want);
  });

  it("the output form of a referenced component drops writeOnly properties", () => {
    const got = info({ operation: { responses: { "200": { description: "ok", content: json(refTo("3.1", "Todo")) } } }, schemas: { Todo: todo } });
    expect(got.outputDefs).toEqual({ Todo: { type: "object", properties: { id: { type: "string" } } } });
  });
});

describe("responseInfo (Swagger 2.0 produces)", () => {
  const ok = { "200": { description: "ok", schema: { type: "array", items: refTo("2.0", "Pet") } } };
  const pets = { Pet: { type: "object" } };
  const output = { contentType: "application/json", status: "200", schema: { type: "array", items: defRef("Pet") } };

  it.each<[string, Given, ResponseInfo]>([
    ["no produces anywhere: application/json", { version: "2.0", operation: { responses: ok }, schemas: pets }, { accepts: ["application/json"], output }],
    [
      "global produces, JSON moved first",
      { version: "2.0", operation: { responses: ok }, schemas: pets, document: { produces: ["application/xml", "application/json"] } },
      { accepts: ["application/json", "application/xml"], output },
    ],
    [
      "the operation's produces replaces the global one",
      { version: "2.0", operation: { produces: ["text/plain"], responses: ok }, schemas: pets, document: { produces: ["application/json"] } },
      { accepts: ["text/plain"] },
    ],
    [
      "a response without schema: Accept only",
      { version: "2.0", operation: { responses: { "200": { description: "ok" } } } },
      { accepts: ["application/json"] },
    ],
    [
      "type: file response: a string",
      { version: "2.0", operation: { produces: ["application/json"], responses: { "200": { description: "ok", schema: { type: "file" } } } } },
      { accepts: ["application/json"], output: { contentType: "application/json", status: "200", schema: { type: "string" } } },
    ],
  ])("%s", (_name, given, want) => {
    expect(info(given).info).toEqual(want);
  });
});

describe("describesObject", () => {
  const defs = new Map<string, Schema>([
    ["Todo", { type: "object", properties: {} }],
    ["Alias", defRef("Todo")],
    ["List", { type: "array" }],
  ]);
  it.each<[string, Schema, boolean]>([
    ["type: object", { type: "object" }, true],
    ["properties without type", { properties: { a: {} } }, true],
    ["a $ref to an object", defRef("Todo"), true],
    ["a $ref chain to an object", defRef("Alias"), true],
    ["a $ref to an array", defRef("List"), false],
    ["a $ref to nothing", defRef("Missing"), false],
    ["array", { type: "array", items: { type: "object" } }, false],
    ["string", { type: "string" }, false],
    ["nullable object", { type: ["object", "null"] }, false],
    ["properties with oneOf", { properties: { a: {} }, oneOf: [{ type: "string" }] }, false],
    ["any value", {}, false],
  ])("%s", (_name, schema, want) => {
    expect(describesObject(schema, defs)).toBe(want);
  });
});
