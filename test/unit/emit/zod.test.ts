/**
 * The zod emitter: each normalised JSON Schema becomes code that accepts and rejects the same values the schema
 * does. The emitted code is evaluated here (tests only; the product bundles it as source).
 */
import { stripTypeScriptTypes } from "node:module";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { objectFor, zodFor } from "../../../scripts/generator/emit/zod.ts";
import { HEADER_VALUE_PATTERN } from "../../../scripts/generator/model/parameters.ts";
import type { Notice, Schema } from "../../../scripts/generator/model/types.ts";

/** The emitted TypeScript, types stripped the way Node strips them, evaluated with zod in scope. */
function evaluate(code: string, names: Record<string, unknown> = {}): z.ZodType {
  const js = stripTypeScriptTypes(`const schema = ${code};`);
  return new Function("z", ...Object.keys(names), `${js}\nreturn schema;`)(z, ...Object.values(names)) as z.ZodType;
}

function compile(schema: Schema, notices: Notice[] = []): z.ZodType {
  return evaluate(zodFor(schema, { notices, pointer: "#/test" }));
}

const accepts = (schema: Schema, value: unknown): boolean => compile(schema).safeParse(value).success;

describe("zodFor: what is accepted and rejected", () => {
  it.each<[string, Schema, unknown[], unknown[]]>([
    ["string bounds", { type: "string", minLength: 2, maxLength: 3 }, ["ab", "abc"], ["a", "abcd", 1]],
    ["pattern is left to the API (no regex runs on model input)", { type: "string", pattern: "^(a+)+$" }, ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"], [1]],
    ["except the bridge's header-value pattern", { type: "string", pattern: HEADER_VALUE_PATTERN }, ["v3.0", "café\tau lait"], ["a\r\nX-Injected: 1", "€", "\u0000"]],
    ["integer with bounds", { type: "integer", minimum: 1, maximum: 10 }, [1, 10], [0, 11, 1.5, "1"]],
    ["exclusive bounds", { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5], [0, 1]],
    ["multipleOf", { type: "number", multipleOf: 5 }, [10], [7]],
    ["boolean", { type: "boolean" }, [true, false], ["true", 0]],
    ["nullable string (type array)", { type: ["string", "null"] }, ["x", null], [1]],
    ["string enum", { enum: ["open", "closed"] }, ["open"], ["Open", null]],
    ["nullable enum", { enum: ["a", null] }, ["a", null], ["b"]],
    ["mixed enum", { enum: [1, "one", true] }, [1, "one", true], [2, "two"]],
    ["const", { const: "fixed" }, ["fixed"], ["other"]],
    ["date-time", { type: "string", format: "date-time" }, ["2026-11-24T12:00:00Z", "2026-11-24T12:00:00+01:00"], ["yesterday"]],
    ["date", { type: "string", format: "date" }, ["2026-11-24"], ["24/11/2026"]],
    ["uuid", { type: "string", format: "uuid" }, ["3fa85f64-5717-4562-b3fc-2c963f66afa6"], ["42", "../admin"]],
    ["email is left to the API", { type: "string", format: "email" }, ["not-checked"], [3]],
    ["base64 (binary input)", { type: "string", contentEncoding: "base64" }, ["aGVsbG8="], ["not base64!"]],
    ["array with items and bounds", { type: "array", items: { type: "integer" }, minItems: 1, maxItems: 2 }, [[1], [1, 2]], [[], [1, 2, 3], ["x"]]],
    ["array without items", { type: "array" }, [[1, "a", null]], ["a"]],
    ["oneOf", { oneOf: [{ type: "string" }, { type: "integer" }] }, ["a", 1], [true]],
    ["anyOf with null", { anyOf: [{ type: "string" }, { type: "null" }] }, ["a", null], [1]],
    [
      "allOf of objects",
      { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "object", properties: { b: { type: "integer" } }, required: ["b"] }] },
      [{ a: "x", b: 1 }],
      [{ a: "x" }, { b: 1 }],
    ],
    [
      "allOf adding a required name to a referenced shape (as the listed schema says)",
      { allOf: [{ type: "object", properties: { title: { type: "string" }, kind: { type: "string" } } }, { required: ["title"] }] },
      [{ title: "t" }, { title: "t", kind: "k" }],
      [{ kind: "k" }, {}],
    ],
    ["required alone constrains objects only (an array passes, as in JSON Schema)", { required: ["a"] }, [{ a: 1 }, [1, 2], "x"], [{ b: 1 }]],
    ["untyped", {}, [1, "a", null, {}], []],
  ])("%s", (_name, schema, good, bad) => {
    for (const value of good) expect(accepts(schema, value), JSON.stringify(value)).toBe(true);
    for (const value of bad) expect(accepts(schema, value), JSON.stringify(value)).toBe(false);
  });

  it("never fills in defaults", () => {
    const schema: Schema = { type: "object", properties: { per_page: { type: "integer", default: 30 } } };
    expect(compile(schema).parse({})).toEqual({});
  });

  it("keeps unknown properties of open objects (stripping them would lose data) and rejects them on closed ones", () => {
    const open: Schema = { type: "object", properties: { a: { type: "string" } } };
    const closed: Schema = { ...open, additionalProperties: false };
    expect(compile(open).parse({ a: "x", extra: 1 })).toEqual({ a: "x", extra: 1 });
    expect(compile(closed).safeParse({ a: "x", extra: 1 }).success).toBe(false);
  });

  it("validates additionalProperties schemas and maps", () => {
    expect(accepts({ type: "object", additionalProperties: { type: "integer" } }, { a: 1, b: 2 })).toBe(true);
    expect(accepts({ type: "object", additionalProperties: { type: "integer" } }, { a: "x" })).toBe(false);
    const mixed: Schema = { type: "object", properties: { name: { type: "string" } }, additionalProperties: { type: "number" } };
    expect(accepts(mixed, { name: "n", x: 1 })).toBe(true);
    expect(accepts(mixed, { name: "n", x: "1" })).toBe(false);
  });

  it("checks a map's key names against propertyNames (length; patterns are left to the API)", () => {
    const map: Schema = { type: "object", additionalProperties: { type: "integer" }, propertyNames: { type: "string", maxLength: 3 } };
    expect(accepts(map, { abc: 1 })).toBe(true);
    expect(accepts(map, { abcd: 1 })).toBe(false);
  });

  it("refers to named schemas by identifier", () => {
    expect(zodFor({ $ref: "#/$defs/Todo" }, { notices: [], pointer: "#" })).toBe("TodoSchema");
  });

  it("handles recursion through lazily built named schemas", () => {
    const code = objectFor({ type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } }, required: ["name"] }, { notices: [], pointer: "#" });
    const NodeSchema: z.ZodType = z.lazy(() => evaluate(code, { NodeSchema }));
    expect(NodeSchema.safeParse({ name: "a", children: [{ name: "b", children: [{ name: "c" }] }] }).success).toBe(true);
    expect(NodeSchema.safeParse({ name: "a", children: [{ children: [] }] }).success).toBe(false);
  });
});

describe("zodFor: the code's text", () => {
  const ctx = (): { notices: Notice[]; pointer: string } => ({ notices: [], pointer: "#" });

  it.each(["string", "integer", "number", "boolean", "array", "object", "null", "file"])("a type named as a string (%s) gives what a one-type list gives", (type) => {
    const keywords: Schema = { minLength: 1, maximum: 9, items: { type: "integer" }, properties: { a: { type: "string" } }, required: ["a"], minItems: 2 };
    expect(zodFor({ type, ...keywords }, ctx())).toBe(zodFor({ type: [type], ...keywords }, ctx()));
  });

  it("lays an object's fields out on one line, or one a line under an indent", () => {
    const schema: Schema = { type: "object", properties: { a: { type: "string" }, "b-c": { type: "integer" } }, required: ["b-c", "d"] };
    expect(objectFor(schema, ctx())).toBe(`z.looseObject<z.ZodRawShape>({ a: z.string().optional(), "b-c": z.int(), d: z.unknown() })`);
    expect(objectFor(schema, ctx(), "  ")).toBe(`z.looseObject<z.ZodRawShape>({\n    a: z.string().optional(),\n    "b-c": z.int(),\n    d: z.unknown(),\n  })`);
    expect(objectFor({ type: "object" }, ctx())).toBe("z.looseObject<z.ZodRawShape>({  })");
    expect(objectFor({ type: "object", additionalProperties: false }, ctx(), "  ")).toBe("z.strictObject<z.ZodRawShape>({})");
    expect(objectFor({ type: "object", required: ["x"] }, ctx(), "  ")).toBe(`z.looseObject<z.ZodRawShape>({\n    x: z.unknown(),\n  })`);
  });

  it("validates a composition's other keywords as its first member, then allOf's, then the union", () => {
    const schema: Schema = {
      description: "annotations are not members",
      type: "object",
      properties: { a: { type: "string" } },
      allOf: [{ required: ["a"] }, { type: "object" }],
      anyOf: [{ type: "string" }, { type: "null" }],
      default: {},
      deprecated: true,
    };
    expect(zodFor(schema, ctx())).toBe(
      `z.intersection(z.intersection(z.intersection(z.looseObject<z.ZodRawShape>({ a: z.string().optional() }), ` +
        `z.unknown().superRefine((value, ctx) => { if (typeof value !== "object" || value === null || Array.isArray(value)) return; ` +
        `for (const name of ["a"]) if (!Object.hasOwn(value, name)) ctx.addIssue({ code: "custom", path: [name], message: "required parameter is missing" }); })), ` +
        `z.looseObject<z.ZodRawShape>({  })), z.union([z.string(), z.null()]))`,
    );
    expect(zodFor({ oneOf: [{ type: "boolean" }] }, ctx())).toBe("z.boolean()");
    expect(zodFor({ description: "d", oneOf: [{ type: "boolean" }, { type: "integer" }] }, ctx())).toBe("z.union([z.boolean(), z.int()])");
  });

  it("keeps a sibling keyword named __proto__ as a property of the sibling member", () => {
    const schema = JSON.parse(`{"type":"object","properties":{"__proto__":{"type":"string"}},"anyOf":[{"required":["__proto__"]}]}`) as Schema;
    expect(zodFor(schema, ctx())).toContain(`__proto__: z.string().optional()`);
  });
});
