import { describe, expect, it } from "vitest";
import { normalizeSchema, type Direction } from "../../../scripts/generator/model/schema.ts";
import type { Schema, SpecVersion } from "../../../scripts/generator/model/types.ts";
import { defRef, defsOf, refTo, registryFor } from "./helpers.ts";

interface Given {
  version: SpecVersion;
  direction?: Direction;
  schema: unknown;
  components?: Record<string, unknown>;
}

interface Want {
  schema: Schema;
  /** The named schemas of the row's direction after normalising (checked only when given). */
  defs?: Record<string, Schema>;
}

function run(given: Given): { schema: Schema; defs: Record<string, Schema> } {
  const registry = registryFor(given.version, given.components ?? {});
  const direction = given.direction ?? "input";
  const schema = normalizeSchema(given.schema, registry, direction, "#/test");
  return { schema, defs: defsOf(registry, direction) };
}

function check(given: Given, want: Want): void {
  const got = run(given);
  expect(got.schema).toEqual(want.schema);
  if (want.defs) expect(got.defs).toEqual(want.defs);
}

describe("normalizeSchema: dialects", () => {
  it.each<[string, Given, Want]>([
    // --- nullable (3.0) / x-nullable (2.0)
    ["3.0 nullable string", { version: "3.0", schema: { type: "string", nullable: true } }, { schema: { type: ["string", "null"] } }],
    ["3.0 nullable: false changes nothing", { version: "3.0", schema: { type: "string", nullable: false } }, { schema: { type: "string" } }],
    ["2.0 x-nullable integer", { version: "2.0", schema: { type: "integer", "x-nullable": true } }, { schema: { type: ["integer", "null"] } }],
    [
      "3.0 nullable enum gains null in type and enum",
      { version: "3.0", schema: { type: "string", enum: ["open", "done"], nullable: true } },
      { schema: { type: ["string", "null"], enum: ["open", "done", null] } },
    ],
    [
      "3.0 nullable enum already listing null is not duplicated",
      { version: "3.0", schema: { type: "string", enum: ["open", null], nullable: true } },
      { schema: { type: ["string", "null"], enum: ["open", null] } },
    ],
    [
      "3.0 nullable allOf [$ref] → anyOf [allOf, null]",
      { version: "3.0", schema: { nullable: true, allOf: [refTo("3.0", "Pet")] }, components: { Pet: { type: "object" } } },
      { schema: { anyOf: [{ allOf: [defRef("Pet")] }, { type: "null" }] } },
    ],
    [
      // A typed nullable composition: null passes `type` but must pass the composition too, or null is rejected.
      "3.0 nullable allOf with type: object",
      { version: "3.0", schema: { type: "object", nullable: true, allOf: [refTo("3.0", "Pet")] }, components: { Pet: { type: "object" } } },
      { schema: { type: ["object", "null"], anyOf: [{ allOf: [defRef("Pet")] }, { type: "null" }] } },
    ],
    [
      "3.0 nullable oneOf gains a null member",
      { version: "3.0", schema: { nullable: true, oneOf: [{ type: "string" }, { type: "integer" }] } },
      { schema: { oneOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] } },
    ],
    [
      "3.0 nullable oneOf with type: object",
      { version: "3.0", schema: { type: "object", nullable: true, oneOf: [{ type: "object", required: ["a"] }, { type: "object", required: ["b"] }] } },
      { schema: { type: ["object", "null"], oneOf: [{ type: "object", required: ["a"] }, { type: "object", required: ["b"] }, { type: "null" }] } },
    ],
    [
      "3.0 nullable anyOf gains a null member",
      { version: "3.0", schema: { nullable: true, anyOf: [{ type: "string" }] } },
      { schema: { anyOf: [{ type: "string" }, { type: "null" }] } },
    ],
    [
      "3.1 type list with null kept as is",
      { version: "3.1", schema: { type: ["string", "null"], maxLength: 3 } },
      { schema: { type: ["string", "null"], maxLength: 3 } },
    ],
    // --- exclusive bounds
    [
      "3.0 exclusiveMinimum: true → numeric, minimum dropped",
      { version: "3.0", schema: { type: "number", minimum: 0, exclusiveMinimum: true } },
      { schema: { type: "number", exclusiveMinimum: 0 } },
    ],
    [
      "3.0 exclusiveMaximum: true → numeric, maximum dropped",
      { version: "3.0", schema: { type: "integer", maximum: 10, exclusiveMaximum: true } },
      { schema: { type: "integer", exclusiveMaximum: 10 } },
    ],
    [
      "2.0 exclusiveMinimum: true → numeric",
      { version: "2.0", schema: { type: "number", minimum: 1.5, exclusiveMinimum: true, maximum: 3 } },
      { schema: { type: "number", exclusiveMinimum: 1.5, maximum: 3 } },
    ],
    [
      "3.0 exclusiveMinimum: false keeps the inclusive bound",
      { version: "3.0", schema: { type: "number", minimum: 0, exclusiveMinimum: false } },
      { schema: { type: "number", minimum: 0 } },
    ],
    [
      "3.0 exclusiveMinimum: true without minimum is dropped",
      { version: "3.0", schema: { type: "number", exclusiveMinimum: true } },
      { schema: { type: "number" } },
    ],
    [
      "3.1 numeric exclusiveMinimum kept beside minimum",
      { version: "3.1", schema: { type: "number", exclusiveMinimum: 0, minimum: -5 } },
      { schema: { type: "number", exclusiveMinimum: 0, minimum: -5 } },
    ],
    [
      "3.1 with the draft-4 boolean exclusiveMinimum: read as the bound it means",
      { version: "3.1", schema: { type: "number", minimum: 0, exclusiveMinimum: true } },
      { schema: { type: "number", exclusiveMinimum: 0 } },
    ],
    // --- files and binary
    ["2.0 type: file (input) → base64 string", { version: "2.0", schema: { type: "file", description: "The upload." } }, { schema: { type: "string", contentEncoding: "base64", description: "The upload." } }],
    ["2.0 type: file (output) → string", { version: "2.0", direction: "output", schema: { type: "file" } }, { schema: { type: "string" } }],
    ["3.0 format: binary (input) → base64 string", { version: "3.0", schema: { type: "string", format: "binary" } }, { schema: { type: "string", contentEncoding: "base64" } }],
    ["3.0 format: binary without type (input)", { version: "3.0", schema: { format: "binary" } }, { schema: { type: "string", contentEncoding: "base64" } }],
    ["3.0 format: binary (output) → string", { version: "3.0", direction: "output", schema: { type: "string", format: "binary" } }, { schema: { type: "string" } }],
    ["3.0 nullable binary", { version: "3.0", schema: { type: "string", format: "binary", nullable: true } }, { schema: { type: ["string", "null"], contentEncoding: "base64" } }],
    ["3.0 format: byte is kept", { version: "3.0", schema: { type: "string", format: "byte" } }, { schema: { type: "string", format: "byte" } }],
    [
      "3.1 contentEncoding / contentMediaType kept",
      { version: "3.1", schema: { type: "string", contentEncoding: "base64", contentMediaType: "image/png" } },
      { schema: { type: "string", contentEncoding: "base64", contentMediaType: "image/png" } },
    ],
  ])("%s", (_name, given, want) => check(given, want));
});

describe("normalizeSchema: kept and dropped keywords", () => {
  it.each<[string, Given, Want]>([
    [
      "example(s), xml, x-*, title, discriminator, externalDocs dropped at every level",
      {
        version: "3.0",
        schema: {
          type: "object",
          title: "Pet",
          example: { name: "Rex" },
          xml: { name: "pet" },
          "x-internal": true,
          discriminator: { propertyName: "kind" },
          externalDocs: { url: "https://example.com" },
          properties: { name: { type: "string", example: "Rex", examples: ["Rex"], "x-order": 1, xml: { attribute: true } } },
        },
      },
      { schema: { type: "object", properties: { name: { type: "string" } } } },
    ],
    [
      "unknown keywords dropped, validation keywords kept",
      {
        version: "3.1",
        schema: {
          type: "string",
          frobnicate: 3,
          pattern: "^[a-z]+$",
          minLength: 1,
          maxLength: 8,
          const: "abc",
          examples: ["abc"],
        },
      },
      { schema: { type: "string", pattern: "^[a-z]+$", minLength: 1, maxLength: 8, const: "abc" } },
    ],
    [
      "numbers, arrays and objects keep their constraints",
      {
        version: "3.1",
        schema: {
          type: "object",
          minProperties: 1,
          maxProperties: 4,
          properties: {
            n: { type: "integer", multipleOf: 5, minimum: 0, maximum: 100 },
            list: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3, uniqueItems: true },
          },
        },
      },
      {
        schema: {
          type: "object",
          minProperties: 1,
          maxProperties: 4,
          properties: {
            n: { type: "integer", multipleOf: 5, minimum: 0, maximum: 100 },
            list: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3, uniqueItems: true },
          },
        },
      },
    ],
    [
      "description trimmed, empty description dropped, default and deprecated kept",
      { version: "3.0", schema: { type: "object", description: "  A pet.\n", deprecated: true, properties: { a: { type: "integer", default: 3, description: "   " } } } },
      { schema: { type: "object", description: "A pet.", deprecated: true, properties: { a: { type: "integer", default: 3 } } } },
    ],
    [
      "additionalProperties (boolean and schema) and patternProperties normalised",
      {
        version: "3.0",
        schema: {
          type: "object",
          properties: {
            strict: { type: "object", additionalProperties: false },
            map: { type: "object", additionalProperties: { type: "string", example: "x", nullable: true } },
            pattern: { type: "object", patternProperties: { "^x-": { type: "integer", "x-foo": 1 } } },
          },
        },
      },
      {
        schema: {
          type: "object",
          properties: {
            strict: { type: "object", additionalProperties: false },
            map: { type: "object", additionalProperties: { type: ["string", "null"] } },
            pattern: { type: "object", patternProperties: { "^x-": { type: "integer" } } },
          },
        },
      },
    ],
    [
      "items, prefixItems, allOf/oneOf/anyOf members and not are normalised recursively",
      {
        version: "3.1",
        schema: {
          allOf: [{ type: "object", title: "A" }],
          oneOf: [{ type: "string", example: "x" }],
          anyOf: [{ type: "integer", "x-a": 1 }],
          not: { type: "null", xml: {} },
          items: { type: "string", examples: ["y"] },
          prefixItems: [{ type: "number", title: "first" }],
        },
      },
      {
        schema: {
          allOf: [{ type: "object" }],
          oneOf: [{ type: "string" }],
          anyOf: [{ type: "integer" }],
          not: { type: "null" },
          items: { type: "string" },
          prefixItems: [{ type: "number" }],
        },
      },
    ],
    [
      // JSON.parse (as YAML and JSON loaders do) makes `__proto__` an own key; an object literal would not.
      "property names are own keys: `__proto__` kept; a required `toString` no property defines stays required, with any value",
      { version: "3.1", schema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"a":{}},"required":["a","toString","__proto__"]}') },
      { schema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"a":{},"toString":{}},"required":["a","toString","__proto__"]}') },
    ],
    [
      "a required name a closed object does not define cannot be sent: dropped",
      { version: "3.1", schema: { type: "object", properties: { a: {} }, required: ["a", "b"], additionalProperties: false } },
      { schema: { type: "object", properties: { a: {} }, required: ["a"], additionalProperties: false } },
    ],
    [
      "propertyNames kept (a map's key names)",
      { version: "3.0", schema: { type: "object", additionalProperties: { type: "string" }, propertyNames: { type: "string", pattern: "^[a-z]+$", maxLength: 8 } } },
      { schema: { type: "object", additionalProperties: { type: "string" }, propertyNames: { type: "string", pattern: "^[a-z]+$", maxLength: 8 } } },
    ],
    ["3.0 tuple `items: [..]` (invalid) is dropped", { version: "3.0", schema: { type: "array", items: [{ type: "string" }] } }, { schema: { type: "array" } }],
    ["empty composition lists dropped", { version: "3.0", schema: { type: "object", allOf: [], oneOf: [] } }, { schema: { type: "object" } }],
    ["true → {}", { version: "3.1", schema: true }, { schema: {} }],
    ["false → not {}", { version: "3.1", schema: false }, { schema: { not: {} } }],
    ["missing schema → {}", { version: "3.1", schema: undefined }, { schema: {} }],
  ])("%s", (_name, given, want) => check(given, want));
});

describe("normalizeSchema: readOnly / writeOnly by direction", () => {
  const account = {
    type: "object",
    required: ["id", "name", "password"],
    properties: {
      id: { type: "string", readOnly: true },
      name: { type: "string" },
      password: { type: "string", writeOnly: true },
    },
  };
  const withRefs = {
    type: "object",
    required: ["id", "name", "secret"],
    properties: { id: refTo("3.0", "Id"), name: { type: "string" }, secret: refTo("3.0", "Secret") },
  };
  const components = { Id: { type: "string", readOnly: true }, Secret: { type: "string", writeOnly: true } };

  it.each<[string, Given, Want]>([
    [
      "input drops readOnly properties and filters required",
      { version: "3.0", schema: account },
      { schema: { type: "object", required: ["name", "password"], properties: { name: { type: "string" }, password: { type: "string" } } } },
    ],
    [
      "output drops writeOnly properties and filters required",
      { version: "3.0", direction: "output", schema: account },
      { schema: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } } },
    ],
    [
      "input: a property that is a $ref to a readOnly schema is dropped",
      { version: "3.0", schema: withRefs, components },
      { schema: { type: "object", required: ["name", "secret"], properties: { name: { type: "string" }, secret: defRef("Secret") } } },
    ],
    [
      "output: a property that is a $ref to a writeOnly schema is dropped",
      { version: "3.0", direction: "output", schema: withRefs, components },
      { schema: { type: "object", required: ["id", "name"], properties: { id: defRef("Id"), name: { type: "string" } } } },
    ],
    [
      "3.1: readOnly beside a $ref hides the property",
      { version: "3.1", schema: { type: "object", properties: { id: { $ref: "#/components/schemas/Id", readOnly: true }, x: { type: "string" } } }, components: { Id: { type: "string" } } },
      { schema: { type: "object", properties: { x: { type: "string" } } } },
    ],
    [
      "every property dropped: empty properties, no required",
      { version: "3.0", schema: { type: "object", required: ["id"], properties: { id: { type: "string", readOnly: true } } } },
      { schema: { type: "object", properties: {} } },
    ],
    [
      "a named component has an input and an output form",
      { version: "3.0", schema: refTo("3.0", "Account"), components: { Account: account } },
      {
        schema: defRef("Account"),
        defs: { Account: { type: "object", required: ["name", "password"], properties: { name: { type: "string" }, password: { type: "string" } } } },
      },
    ],
    [
      "a named component's output form",
      { version: "3.0", direction: "output", schema: refTo("3.0", "Account"), components: { Account: account } },
      {
        schema: defRef("Account"),
        defs: { Account: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } } },
      },
    ],
  ])("%s", (_name, given, want) => check(given, want));
});

describe("normalizeSchema: references", () => {
  it.each<[string, Given, Want]>([
    [
      "2.0 #/definitions ref becomes #/$defs",
      { version: "2.0", schema: { type: "array", items: refTo("2.0", "Pet") }, components: { Pet: { type: "object", properties: { name: { type: "string", "x-nullable": true } } } } },
      { schema: { type: "array", items: defRef("Pet") }, defs: { Pet: { type: "object", properties: { name: { type: ["string", "null"] } } } } },
    ],
    [
      "component names become PascalCase identifiers",
      { version: "3.0", schema: refTo("3.0", "full-repository"), components: { "full-repository": { type: "object" } } },
      { schema: defRef("FullRepository"), defs: { FullRepository: { type: "object" } } },
    ],
    [
      "a description beside a $ref is kept (3.1)",
      { version: "3.1", schema: { $ref: "#/components/schemas/Pet", description: " The pet. " }, components: { Pet: { type: "object" } } },
      { schema: { $ref: "#/$defs/Pet", description: "The pet." }, defs: { Pet: { type: "object" } } },
    ],
    [
      "self recursion yields a $ref to itself",
      {
        version: "3.0",
        schema: refTo("3.0", "Node"),
        components: { Node: { type: "object", properties: { value: { type: "string" }, children: { type: "array", items: refTo("3.0", "Node") } } } },
      },
      {
        schema: defRef("Node"),
        defs: { Node: { type: "object", properties: { value: { type: "string" }, children: { type: "array", items: defRef("Node") } } } },
      },
    ],
    [
      "mutual recursion yields $refs both ways",
      {
        version: "3.1",
        schema: { type: "object", properties: { root: refTo("3.1", "Person") } },
        components: {
          Person: { type: "object", properties: { employer: refTo("3.1", "Company") } },
          Company: { type: "object", properties: { staff: { type: "array", items: refTo("3.1", "Person") } } },
        },
      },
      {
        schema: { type: "object", properties: { root: defRef("Person") } },
        defs: {
          Person: { type: "object", properties: { employer: defRef("Company") } },
          Company: { type: "object", properties: { staff: { type: "array", items: defRef("Person") } } },
        },
      },
    ],
    [
      "a recursive readOnly reference is followed without looping",
      {
        version: "3.0",
        schema: refTo("3.0", "Tree"),
        components: { Tree: { type: "object", properties: { parent: refTo("3.0", "Tree"), id: refTo("3.0", "Id") } }, Id: { type: "integer", readOnly: true } },
      },
      { schema: defRef("Tree"), defs: { Tree: { type: "object", properties: { parent: defRef("Tree") } } } },
    ],
  ])("%s", (_name, given, want) => check(given, want));

  it("an external $ref is accepted as any value, with a notice", () => {
    const registry = registryFor("3.1");
    expect(normalizeSchema({ $ref: "other.yaml#/Pet" }, registry, "input", "#/x")).toEqual({});
    expect(registry.notices).toEqual([{ pointer: "#/x", message: "external $ref other.yaml#/Pet not bundled: accepted as any value" }]);
  });

  it("a $ref to nothing is an error naming the pointer", () => {
    const registry = registryFor("3.1");
    expect(() => normalizeSchema(refTo("3.1", "Missing"), registry, "input", "#/x")).toThrow("#/components/schemas/Missing: $ref points to nothing");
  });

  it("a cycle of plain objects (YAML aliases) stops with a notice instead of overflowing", () => {
    const cyclic: Record<string, unknown> = { type: "object", properties: {} };
    (cyclic["properties"] as Record<string, unknown>)["self"] = cyclic;
    const registry = registryFor("3.1");
    const schema = normalizeSchema(cyclic, registry, "input", "#/x");
    let depth = 0;
    for (let node: unknown = schema; node && typeof node === "object" && "properties" in node; depth++) {
      node = (node as { properties: Record<string, unknown> }).properties["self"];
    }
    expect(depth).toBe(65);
    expect(registry.notices).toHaveLength(1);
    expect(registry.notices[0]!.message).toContain("nested too deeply");
  });

  it("the same component referenced twice is normalised once and shared", () => {
    const registry = registryFor("3.0", { Pet: { type: "object" } });
    normalizeSchema(refTo("3.0", "Pet"), registry, "input", "#/a");
    normalizeSchema({ type: "array", items: refTo("3.0", "Pet") }, registry, "input", "#/b");
    expect([...registry.names]).toEqual([["#/components/schemas/Pet", "Pet"]]);
    expect(defsOf(registry, "input")).toEqual({ Pet: { type: "object" } });
    expect(defsOf(registry, "output")).toEqual({});
  });
});

describe("normalizeSchema: required", () => {
  it("keeps a required list's strings only, in order, each once", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["b", 1, "a", null, "b"] };
    expect(run({ version: "3.0", schema }).schema["required"]).toEqual(["b", "a"]);
    expect(run({ version: "3.0", schema: { ...schema, required: ["b", "a", "b"] } }).schema["required"]).toEqual(["b", "a"]);
  });
});
