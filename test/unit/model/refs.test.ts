import { describe, expect, it } from "vitest";
import { deref, forEachRef, resolvePointer, schemaNameFor } from "../../../scripts/generator/model/refs.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

const DOC: SpecDocument = {
  components: {
    schemas: {
      Pet: { type: "object" },
      "a/b": { type: "string" },
      "c~d": { type: "integer" },
      "{x}": { type: "boolean" },
      Alias: { $ref: "#/components/schemas/Alias2" },
      Alias2: { $ref: "#/components/schemas/Pet" },
      Loop: { $ref: "#/components/schemas/Loop" },
    },
    parameters: { Page: { name: "page", in: "query" } },
  },
};

describe("resolvePointer", () => {
  it.each<[string, string, unknown]>([
    ["a plain pointer", "#/components/schemas/Pet", { type: "object" }],
    ["~1 is /", "#/components/schemas/a~1b", { type: "string" }],
    ["~0 is ~", "#/components/schemas/c~0d", { type: "integer" }],
    ["percent-encoding (URI fragment) decoded", "#/components/schemas/%7Bx%7D", { type: "boolean" }],
    ["a $ref chain is followed", "#/components/schemas/Alias", { type: "object" }],
    ["a missing step", "#/components/schemas/Nope", undefined],
    ["through a scalar", "#/components/schemas/Pet/type/x", undefined],
    ["not a local pointer", "other.yaml#/Pet", undefined],
    ["# is the document", "#", DOC],
  ])("%s", (_name, ref, want) => {
    expect(resolvePointer(DOC, ref)).toEqual(want);
  });

  it("a $ref cycle stops after a bounded number of hops", () => {
    expect(resolvePointer(DOC, "#/components/schemas/Loop")).toEqual({ $ref: "#/components/schemas/Loop" });
  });
});

describe("deref", () => {
  it.each<[string, unknown, unknown]>([
    ["a local $ref is resolved", { $ref: "#/components/parameters/Page" }, { name: "page", in: "query" }],
    ["a plain object is returned as is", { name: "q", in: "query" }, { name: "q", in: "query" }],
    ["an external $ref is returned as is", { $ref: "common.yaml#/Page" }, { $ref: "common.yaml#/Page" }],
    ["undefined stays undefined", undefined, undefined],
  ])("%s", (_name, node, want) => {
    expect(deref(DOC, node)).toEqual(want);
  });
});

describe("schemaNameFor", () => {
  it.each<[string, string, string[], string]>([
    ["3.x component name", "#/components/schemas/Pet", [], "Pet"],
    ["kebab-case component → PascalCase", "#/components/schemas/full-repository", [], "FullRepository"],
    ["snake_case and dots", "#/components/schemas/simple_user.v2", [], "SimpleUserV2"],
    ["2.0 definition", "#/definitions/Pet", [], "Pet"],
    ["escaped / in a definition name", "#/definitions/a~1b", [], "AB"],
    ["a leading digit is prefixed", "#/components/schemas/2fa-status", [], "S2faStatus"],
    ["no usable characters", "#/components/schemas/%E2%9C%93", [], "Schema"],
    ["another pointer: its last three segments", "#/paths/~1pets/get/responses/200/content/application~1json/schema", [], "ContentApplicationJsonSchema"],
    ["a taken name gets a number", "#/components/schemas/pet", ["Pet"], "Pet2"],
    ["numbers count up", "#/definitions/Pet", ["Pet", "Pet2"], "Pet3"],
  ])("%s", (_name, ref, used, want) => {
    expect(schemaNameFor(ref, new Set(used))).toBe(want);
  });
});

describe("forEachRef", () => {
  it("visits every $ref in document order, each with the pointer of the object holding it", () => {
    const tree = {
      $ref: "#/root",
      paths: {
        "/a/{b}": { get: { parameters: [{ $ref: "#/p/0" }, { schema: { items: { $ref: "#/p/1" } } }] } },
        "c~d": { $ref: "#/p/2", deeper: { $ref: "#/p/3" } },
      },
      after: [[{ $ref: "#/p/4" }], null, "text", { $ref: 5 }],
      last: { inner: { $ref: "#/p/7" }, $ref: "#/p/6" },
    };
    const seen: [string, string][] = [];
    forEachRef(tree, (ref, holder) => seen.push([ref, holder()]));
    expect(seen).toEqual([
      ["#/root", "#"],
      ["#/p/0", "#/paths/~1a~1{b}/get/parameters/0"],
      ["#/p/1", "#/paths/~1a~1{b}/get/parameters/1/schema/items"],
      ["#/p/2", "#/paths/c~0d"],
      ["#/p/3", "#/paths/c~0d/deeper"],
      ["#/p/4", "#/after/0/0"],
      // An object's own $ref comes before anything inside it, wherever its key is.
      ["#/p/6", "#/last"],
      ["#/p/7", "#/last/inner"],
    ]);
  });

  it("walks a tree deeper than the call stack would allow, in document order across the depth where it stops recursing", () => {
    let deep: Record<string, unknown> = { $ref: "#/bottom" };
    for (let i = 0; i < 3_000; i++) deep = i % 2 ? { ab: deep, $ref: `#/r/${i}` } : { ab: deep, b: { $ref: `#/b/${i}` } };
    const seen: string[] = [];
    forEachRef(deep, (ref, holder) => seen.push(`${ref} ${holder().length}`));
    const want: string[] = [];
    // Outermost first: each object's own $ref, then its `ab` chain, then its `b`; each pointer's length says its path.
    const walk = (node: Record<string, unknown>, length: number): void => {
      if (typeof node["$ref"] === "string") want.push(`${node["$ref"]} ${length}`);
      if (node["ab"]) walk(node["ab"] as Record<string, unknown>, length + 3);
      if (node["b"]) want.push(`${(node["b"] as { $ref: string }).$ref} ${length + 2}`);
    };
    walk(deep, 1);
    expect(seen).toEqual(want);
  });

  it("walks a tree deeper than the call stack would allow", () => {
    let tree: Record<string, unknown> = { $ref: "#/bottom" };
    for (let i = 0; i < 50_000; i++) tree = { x: tree };
    const seen: string[] = [];
    forEachRef(tree, (ref, holder) => seen.push(`${ref} ${holder().length}`));
    expect(seen).toEqual([`#/bottom ${1 + 50_000 * 2}`]);
  });
});
