/**
 * The listed input schema is exactly as strict about unknown keys as the validator: for each object shape, a client
 * validating with the listed JSON Schema (ajv, draft 2020-12, full and concise text) and the bridge's generated zod
 * validator give the same answer for an input with an extra key at each level.
 */
import { stripTypeScriptTypes } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { conciseInputSchema } from "../../../scripts/generator/emit/concise.ts";
import { objectFor } from "../../../scripts/generator/emit/zod.ts";
import type { Schema } from "../../../scripts/generator/model/types.ts";

function zodOf(schema: Schema): z.ZodType {
  const js = stripTypeScriptTypes(`const schema = ${objectFor(schema, { notices: [], pointer: "#" })};`);
  return new Function("z", `${js}\nreturn schema;`)(z) as z.ZodType;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** Tool inputs (top level always closed) with nested objects of every kind the generator emits. */
const inputs: [string, Schema, Record<string, unknown>][] = [
  [
    "closed nested object",
    { type: "object", properties: { body: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } }, additionalProperties: false },
    { body: { a: "x" } },
  ],
  ["open nested object", { type: "object", properties: { body: { type: "object", properties: { a: { type: "string" } } } }, additionalProperties: false }, { body: { a: "x" } }],
  [
    "map of values",
    { type: "object", properties: { labels: { type: "object", additionalProperties: { type: "string" } } }, additionalProperties: false },
    { labels: { a: "x" } },
  ],
  [
    "closed object with patternProperties",
    {
      type: "object",
      properties: { meta: { type: "object", properties: { id: { type: "string" } }, patternProperties: { "^x-": {} }, additionalProperties: false } },
      additionalProperties: false,
    },
    { meta: { id: "1", "x-trace": "t" } },
  ],
  [
    "closed items of an array",
    { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { p: { type: "integer" } }, additionalProperties: false } } }, additionalProperties: false },
    { items: [{ p: 1 }] },
  ],
];

/** The value with `extra: 1` added to the object at `path` (top level when empty). */
function withExtra(value: Record<string, unknown>, path: (string | number)[], key = "extra"): Record<string, unknown> {
  const copy = structuredClone(value);
  let node: any = copy;
  for (const step of path) node = node[step];
  node[key] = 1;
  return copy;
}

/** Paths of every object inside `value`. */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const here = Array.isArray(value) ? [] : [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...here, ...entries.flatMap(([key, member]) => objectPaths(member, [...path, key]))];
}

describe("unknown keys: listed schema and validator agree", () => {
  it.each(inputs)("%s", (_name, schema, valid) => {
    const validator = zodOf(schema);
    for (const [text, listed] of [["full", schema], ["concise", conciseInputSchema(schema)]] as const) {
      const check = ajv.compile(listed);
      expect(check(valid), `${text}: valid input`).toBe(true);
      expect(validator.safeParse(valid).success, "validator: valid input").toBe(true);
      for (const path of objectPaths(valid)) {
        const given = withExtra(valid, path);
        expect(validator.safeParse(given).success, `${text} at ${path.join(".") || "top"}`).toBe(check(given));
      }
    }
  });
});
