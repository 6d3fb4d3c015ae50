import { describe, expect, it } from "vitest";
import { assembleInput, sanitizeKey } from "../../../scripts/generator/model/input.ts";
import { normalizeSchema } from "../../../scripts/generator/model/schema.ts";
import type { BodyModel, FixedValueModel, ParameterModel, Schema } from "../../../scripts/generator/model/types.ts";
import { defRef, refTo, registryFor } from "./helpers.ts";

/** A model parameter as `toParameterModels` makes it (the key is what assembleInput replaces). */
function param(name: string, location: ParameterModel["in"], extra: Partial<ParameterModel> = {}): ParameterModel {
  const form = location === "query" || location === "cookie";
  return {
    key: name,
    name,
    in: location,
    required: location === "path",
    schema: { type: "string" },
    style: form ? "form" : "simple",
    explode: form,
    ...extra,
  };
}

function body(schema: Schema, extra: Partial<BodyModel> = {}): BodyModel {
  return { contentType: "application/json", encoding: "json", required: true, schema, ...extra };
}

interface Given {
  parameters: ParameterModel[];
  body?: BodyModel;
  hidden?: Record<string, unknown>;
  /** Named schemas the body may reference (normalised into the registry's input defs first). */
  components?: Record<string, unknown>;
}

interface Want {
  input: Schema;
  /** The parameters' input keys, in the order of the result. */
  keys?: string[];
  /** `spread` or `bodyKey` of the placed body (and its schema when it changed). */
  body?: Partial<BodyModel>;
  fixed?: FixedValueModel[];
  unknownHidden?: string[];
}

function check(given: Given, want: Want): void {
  const registry = registryFor("3.1", given.components ?? {});
  for (const name of Object.keys(given.components ?? {})) normalizeSchema(refTo("3.1", name), registry, "input", "#");
  const result = assembleInput(given.parameters, given.body, given.hidden ?? {}, registry);
  expect(result.input).toEqual(want.input);
  expect(result.parameters.map((p) => p.key)).toEqual(want.keys ?? given.parameters.map((p) => p.name));
  expect(result.fixed).toEqual(want.fixed ?? []);
  expect(result.unknownHidden).toEqual(want.unknownHidden ?? []);
  if (want.body === undefined) {
    expect(result.body).toBeUndefined();
  } else {
    expect(result.body).toEqual({ ...given.body, ...want.body });
  }
}

const str = { type: "string" };
const bool = { type: "boolean" };
const todoBody = { type: "object", required: ["text"], properties: { text: str, done: bool } };
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });

describe("assembleInput: flattening the body", () => {
  it.each<[string, Given, Want]>([
    [
      "a plain object body is flattened; its required properties are required",
      { parameters: [param("id", "path")], body: body(todoBody) },
      {
        input: { type: "object", properties: { id: str, text: str, done: bool }, required: ["id", "text"], additionalProperties: false },
        body: { spread: [{ key: "text", name: "text" }, { key: "done", name: "done" }] },
      },
    ],
    [
      // Flattened, `text` could not be required only when a body is sent: one optional `body` object says it.
      "an optional body with required properties stays one optional object, its required list kept",
      { parameters: [param("id", "path")], body: body(todoBody, { required: false }) },
      {
        input: { type: "object", properties: { id: str, body: todoBody }, required: ["id"], additionalProperties: false },
        body: { bodyKey: "body" },
      },
    ],
    [
      "an optional body requiring nothing is flattened, nothing required",
      { parameters: [param("id", "path")], body: body(object({ text: str, done: bool }), { required: false }) },
      {
        input: { type: "object", properties: { id: str, text: str, done: bool }, required: ["id"], additionalProperties: false },
        body: { spread: [{ key: "text", name: "text" }, { key: "done", name: "done" }] },
      },
    ],
    [
      "a $ref body is flattened from its definition",
      { parameters: [], body: body(defRef("Todo")), components: { Todo: todoBody } },
      {
        input: { type: "object", properties: { text: str, done: bool }, required: ["text"], additionalProperties: false },
        body: { spread: [{ key: "text", name: "text" }, { key: "done", name: "done" }] },
      },
    ],
    [
      "additionalProperties: false still flattens; a required body requiring nothing is sent as {} when no field is given",
      { parameters: [], body: body(object({ a: str }, { additionalProperties: false })) },
      { input: { type: "object", properties: { a: str }, additionalProperties: false }, body: { spread: [{ key: "a", name: "a" }], emptyObject: true } },
    ],
    [
      "form bodies flatten too, property names sanitised",
      { parameters: [], body: body(object({ "labels[]": { type: "array", items: str } }), { encoding: "form", contentType: "application/x-www-form-urlencoded", required: false }) },
      { input: { type: "object", properties: { labels: { type: "array", items: str } }, additionalProperties: false }, body: { spread: [{ key: "labels", name: "labels[]" }] } },
    ],
  ])("%s", (_name, given, want) => check(given, want));

  const whole = (schema: Schema, extra: Record<string, unknown> = {}): Want => ({
    input: { type: "object", properties: { body: schema }, required: ["body"], additionalProperties: false, ...extra },
    body: { bodyKey: "body" },
  });
  /** A required object body that requires no property: the argument may be left out, `{}` is sent. */
  const wholeOptional = (schema: Schema): Want => ({
    input: { type: "object", properties: { body: schema }, additionalProperties: false },
    body: { bodyKey: "body", emptyObject: true },
  });

  it.each<[string, Given, Want]>([
    [
      "a body property colliding with a parameter: the whole body under `body`",
      { parameters: [param("id", "path")], body: body(object({ id: str, text: str })) },
      {
        input: { type: "object", properties: { id: str, body: object({ id: str, text: str }) }, required: ["id"], additionalProperties: false },
        body: { bodyKey: "body", emptyObject: true },
      },
    ],
    [
      "body properties colliding with each other after sanitising",
      { parameters: [], body: body(object({ "a b": str, a_b: str }, { required: ["a b"] })) },
      whole(object({ "a b": str, a_b: str }, { required: ["a b"] })),
    ],
    ["additionalProperties schema", { parameters: [], body: body(object({ a: str }, { additionalProperties: str })) }, wholeOptional(object({ a: str }, { additionalProperties: str }))],
    ["additionalProperties: true", { parameters: [], body: body(object({ a: str }, { additionalProperties: true })) }, wholeOptional(object({ a: str }, { additionalProperties: true }))],
    ["patternProperties", { parameters: [], body: body(object({ a: str }, { patternProperties: { "^x": str } })) }, wholeOptional(object({ a: str }, { patternProperties: { "^x": str } }))],
    ["oneOf", { parameters: [], body: body(object({ a: str }, { oneOf: [{ required: ["a"] }] })) }, whole(object({ a: str }, { oneOf: [{ required: ["a"] }] }))],
    ["allOf", { parameters: [], body: body({ allOf: [object({ a: str })] }) }, whole({ allOf: [object({ a: str })] })],
    ["an array", { parameters: [], body: body({ type: "array", items: str }) }, whole({ type: "array", items: str })],
    ["a nullable object", { parameters: [], body: body({ type: ["object", "null"], properties: { a: str } }) }, whole({ type: ["object", "null"], properties: { a: str } })],
    ["an object without properties", { parameters: [], body: body({ type: "object" }) }, wholeOptional({ type: "object" })],
    ["minProperties (at least one of them; {} would not do)", { parameters: [], body: body(object({ a: str }, { minProperties: 1 })) }, whole(object({ a: str }, { minProperties: 1 }))],
    [
      "a text body",
      { parameters: [], body: body(str, { encoding: "text", contentType: "text/plain" }) },
      whole(str),
    ],
    [
      "a binary body, optional",
      { parameters: [], body: body({ type: "string", contentEncoding: "base64" }, { encoding: "binary", contentType: "image/png", required: false }) },
      { input: { type: "object", properties: { body: { type: "string", contentEncoding: "base64" } }, additionalProperties: false }, body: { bodyKey: "body" } },
    ],
    [
      "the body's description goes on the body argument",
      { parameters: [], body: body({ type: "array" }, { description: "The items." }) },
      whole({ type: "array", description: "The items." }),
    ],
    [
      "a parameter named `body` pushes the body to `body_body`",
      { parameters: [param("body", "query")], body: body({ type: "array" }) },
      {
        input: { type: "object", properties: { body: str, body_body: { type: "array" } }, required: ["body_body"], additionalProperties: false },
        body: { bodyKey: "body_body" },
      },
    ],
  ])("not flattened: %s", (_name, given, want) => check(given, want));
});

describe("assembleInput: keys", () => {
  it.each<[string, Given, Want]>([
    [
      "names sanitised to ^[A-Za-z0-9_.-]{1,64}$, wire names kept",
      { parameters: [param("X-Api-Version", "header"), param("labels[]", "query"), param("a b", "query"), param("$top", "query"), param("日本", "query")] },
      {
        keys: ["X-Api-Version", "labels", "a_b", "top", "param"],
        input: { type: "object", properties: { "X-Api-Version": str, labels: str, a_b: str, top: str, param: str }, additionalProperties: false },
      },
    ],
    [
      "`id` in path and query: the path keeps `id`, in spec order",
      { parameters: [param("id", "query"), param("id", "path")] },
      { keys: ["query_id", "id"], input: { type: "object", properties: { query_id: str, id: str }, required: ["id"], additionalProperties: false } },
    ],
    [
      "one name in every location: path, query, header, cookie precedence",
      { parameters: [param("v", "cookie"), param("v", "header"), param("v", "query"), param("v", "path")] },
      {
        keys: ["cookie_v", "header_v", "query_v", "v"],
        input: { type: "object", properties: { cookie_v: str, header_v: str, query_v: str, v: str }, required: ["v"], additionalProperties: false },
      },
    ],
    [
      "a sanitised name colliding with another parameter's name",
      { parameters: [param("a_b", "query"), param("a b", "query")] },
      { keys: ["a_b", "query_a_b"], input: { type: "object", properties: { a_b: str, query_a_b: str }, additionalProperties: false } },
    ],
    [
      "description and deprecated go on the parameter's schema; required kept",
      { parameters: [param("q", "query", { required: true, description: "Search text.", deprecated: true })] },
      { input: { type: "object", properties: { q: { type: "string", description: "Search text.", deprecated: true } }, required: ["q"], additionalProperties: false } },
    ],
  ])("%s", (_name, given, want) => check(given, want));

  it("a parameter keyed by its name is its (shared) model; one re-keyed is a copy, and the model is left as it was", () => {
    const id = param("id", "query");
    const shared = param("id", "path");
    const assembled = assembleInput([id, shared], undefined, {}, registryFor("3.1"));
    expect(assembled.parameters[1]).toBe(shared);
    expect(assembled.parameters[0]).not.toBe(id);
    expect(assembled.parameters[0]).toEqual({ ...id, key: "query_id" });
    expect(id.key).toBe("id");
  });

  it.each<[string, string]>([
    ["X-Api-Version", "X-Api-Version"],
    ["labels[]", "labels"],
    ["a b", "a_b"],
    ["filter[owner.id]", "filter_owner.id"],
    ["__x__", "x"],
    ["", "param"],
    ["x".repeat(70), "x".repeat(64)],
  ])("sanitizeKey(%j) = %j", (given, want) => {
    expect(sanitizeKey(given)).toBe(want);
  });
});

describe("assembleInput: hidden parameters", () => {
  it.each<[string, Given, Want]>([
    [
      "a hidden query parameter becomes a fixed value and leaves the input",
      { parameters: [param("api-version", "query", { required: true }), param("q", "query")], hidden: { "api-version": "2024-01-01" } },
      {
        keys: ["q"],
        input: { type: "object", properties: { q: str }, additionalProperties: false },
        fixed: [{ in: "query", name: "api-version", value: "2024-01-01", style: "form", explode: true }],
      },
    ],
    [
      "a hidden path parameter keeps its serialisation",
      { parameters: [param("org", "path", { style: "label" }), param("id", "path")], hidden: { org: "acme" } },
      {
        keys: ["id"],
        input: { type: "object", properties: { id: str }, required: ["id"], additionalProperties: false },
        fixed: [{ in: "path", name: "org", value: "acme", style: "label", explode: false }],
      },
    ],
    [
      // Hidden names are own keys of the configured mapping, not members every object inherits.
      "a parameter named like an Object.prototype member is not hidden",
      { parameters: [param("constructor", "query"), param("toString", "query")], hidden: {} },
      { input: { type: "object", properties: { constructor: str, toString: str }, additionalProperties: false } },
    ],
    [
      "a hidden body property of a flattened body",
      { parameters: [], body: body(object({ text: str, source: str }, { required: ["text", "source"] })), hidden: { source: "mcp" } },
      {
        input: { type: "object", properties: { text: str }, required: ["text"], additionalProperties: false },
        body: { spread: [{ key: "text", name: "text" }] },
        fixed: [{ in: "body", name: "source", value: "mcp", style: "form", explode: true }],
      },
    ],
    [
      "a hidden body property does not count as a collision",
      { parameters: [param("id", "path")], body: body(object({ id: str, text: str })), hidden: { id: "x" } },
      {
        keys: [],
        input: { type: "object", properties: { text: str }, additionalProperties: false },
        body: { spread: [{ key: "text", name: "text" }], emptyObject: true },
        fixed: [
          { in: "path", name: "id", value: "x", style: "simple", explode: false },
          { in: "body", name: "id", value: "x", style: "form", explode: true },
        ],
      },
    ],
    [
      // The body stays one argument (its `text` collides with a parameter), but the hidden property is still a body
      // property: it is fixed and leaves the body's schema, rather than being reported as unknown.
      "a hidden body property of a body that is not flattened",
      {
        parameters: [param("text", "query")],
        body: body(defRef("Note"), { description: "The note." }),
        hidden: { owner: "me" },
        components: { Note: object({ text: str, owner: str }, { required: ["text", "owner"], description: "A note." }) },
      },
      {
        input: {
          type: "object",
          properties: { text: str, body: object({ text: str }, { required: ["text"], description: "The note." }) },
          required: ["body"],
          additionalProperties: false,
        },
        body: { bodyKey: "body", schema: object({ text: str }, { required: ["text"], description: "A note." }) },
        fixed: [{ in: "body", name: "owner", value: "me", style: "form", explode: true }],
      },
    ],
    [
      "names that match nothing are reported",
      { parameters: [param("q", "query")], body: body(object({ a: str })), hidden: { nope: 1, q: "x" } },
      {
        keys: [],
        input: { type: "object", properties: { a: str }, additionalProperties: false },
        body: { spread: [{ key: "a", name: "a" }], emptyObject: true },
        fixed: [{ in: "query", name: "q", value: "x", style: "form", explode: true }],
        unknownHidden: ["nope"],
      },
    ],
    [
      "a hidden name inside a body that is no plain object is unknown",
      { parameters: [], body: body({ type: "array", items: object({ a: str }) }), hidden: { a: 1 } },
      {
        input: { type: "object", properties: { body: { type: "array", items: object({ a: str }) } }, required: ["body"], additionalProperties: false },
        body: { bodyKey: "body" },
        unknownHidden: ["a"],
      },
    ],
  ])("%s", (_name, given, want) => check(given, want));
});

describe("sanitizeKey: a name left as it is", () => {
  /** The replaces sanitizeKey makes when its test does not find a key already. */
  const general = (name: string): string => {
    const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 64);
    return cleaned.length > 0 ? cleaned : "param";
  };
  const names = ["a", "_", "-", ".", "a_", "_a", "a_b", "a__b", "a b", "a-b.c", "ä", "a/b", "", "x".repeat(64), "x".repeat(65), `${"x".repeat(63)}_`, `_${"x".repeat(64)}`, "api-version", "X-Request-ID", "$filter", "page[size]"];
  it.each(names)("%j as the replaces give it", (name) => {
    expect(sanitizeKey(name)).toBe(general(name));
  });
});
