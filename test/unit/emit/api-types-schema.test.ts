/**
 * api-types-schema.ts's primitiveType, a shortcut beside schemaType for the commonest schemas, held to schemaType on
 * every combination of the keywords that decide whether it may answer: where it answers, schemaType gives the same
 * type; where schemaType would throw (too deep, a pointer that must be made), it does not answer.
 */
import { describe, expect, it } from "vitest";
import { primitiveType, schemaType, type Context } from "../../../scripts/generator/emit/api-types-schema.ts";
import { Unsupported } from "../../../scripts/generator/emit/api-types-text.ts";
import { child, createRef } from "../../../scripts/generator/emit/openapi-typescript-refs.ts";

const context = (depth = 0): Context => ({ resolve: () => ({ type: "string" }), discriminators: { objects: {}, refsHandled: [] }, hasDiscriminators: false, footer: [], depth });

const TYPES: unknown[] = ["string", "integer", "number", "boolean", "null", "object", "array", ["string", "null"], undefined, 3];
/** Each keyword primitiveType looks at, absent (undefined) or with values that make schemaType do different things. */
const KEYWORDS: Record<string, unknown[]> = {
  $ref: [undefined, "#/components/schemas/x", ""],
  const: [undefined, null, "c", 0],
  enum: [undefined, null, ["a", "b"], "a"],
  allOf: [undefined, null, [], [{ type: "string" }]],
  anyOf: [undefined, null, [], [{ type: "integer" }]],
  oneOf: [undefined, null, 0, [], [{ type: "boolean" }]],
  nullable: [undefined, false, true],
};

/** Every schema made of one of TYPES and one value of each keyword (a key with undefined left out). */
function* schemas(): Generator<Record<string, unknown>> {
  const names = Object.keys(KEYWORDS);
  const at = (index: number, schema: Record<string, unknown>): Generator<Record<string, unknown>> =>
    (function* () {
      if (index === names.length) {
        yield schema;
        return;
      }
      for (const value of KEYWORDS[names[index]!]!) yield* at(index + 1, value === undefined ? schema : { ...schema, [names[index]!]: value });
    })();
  for (const type of TYPES) yield* at(0, type === undefined ? { description: "d" } : { type, description: "d" });
}

/** schemaType's answer, or "throws". */
function general(schema: unknown, depth = 0): { kind: number; text: string } | "throws" {
  try {
    const type = schemaType(schema, createRef(["components", "schemas", "p"]), 2, context(depth));
    return { kind: type.kind, text: type.text };
  } catch (error) {
    if (error instanceof Unsupported) return "throws";
    throw error;
  }
}

describe("primitiveType", () => {
  it("answers as schemaType does wherever it answers, and for every plain primitive schema", () => {
    let answered = 0;
    for (const schema of schemas()) {
      const fast = primitiveType(schema, createRef(["components", "schemas", "p"]), context());
      if (fast === undefined) continue;
      answered++;
      expect({ kind: fast.kind, text: fast.text }, JSON.stringify(schema)).toEqual(general(schema));
    }
    for (const type of ["string", "integer", "number", "boolean", "null"]) {
      expect(primitiveType({ type }, "#/p", context())).toBeDefined();
      expect(primitiveType({ type, nullable: true, description: "d", format: "f", default: "x" }, "#/p", context())).toBeDefined();
    }
    expect(answered).toBeGreaterThan(50);
  });

  it("leaves to schemaType what is no object, too deep, or below a pointer holding a %", () => {
    for (const value of [null, true, false, "string", 1, [{ type: "string" }]]) expect(primitiveType(value, "#/p", context())).toBeUndefined();
    expect(general({ type: "string" }, 500)).toBe("throws");
    expect(primitiveType({ type: "string" }, "#/p", context(500))).toBeUndefined();
    expect(primitiveType({ type: "string" }, "#/components/schemas/a%20b", context())).toBeUndefined();
    expect(primitiveType({ type: "string" }, child("#/components/schemas", "a%b"), context())).toBeUndefined();
  });
});
