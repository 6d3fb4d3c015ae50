/** tools/list schemas: self-contained per tool, inlined where cheap, `$defs` where recursive or repeated. */
import { describe, expect, it } from "vitest";
import { compactOutputSchema, indexDefs, isRecursive, listingSchema, listingSizeAtLeast } from "../../../scripts/generator/emit/listing.ts";
import type { Schema } from "../../../scripts/generator/model/types.ts";

const defs = new Map<string, Schema>([
  ["Label", { type: "object", properties: { name: { type: "string", description: "Label name" } } }],
  ["Node", { type: "object", properties: { value: { type: "string" }, next: { $ref: "#/$defs/Node" } } }],
  ["A", { type: "object", properties: { b: { $ref: "#/$defs/B" } } }],
  ["B", { type: "object", properties: { a: { $ref: "#/$defs/A" } } }],
  ["Status", { enum: ["open", "closed"], description: "Status of the thing" }],
]);
const index = indexDefs(defs);

describe("listingSchema", () => {
  it("inlines a schema used once, keeping the description at the point of use", () => {
    const root: Schema = { type: "object", properties: { label: { $ref: "#/$defs/Label", description: "The label to add" } } };
    expect(listingSchema(root, index)).toEqual({
      type: "object",
      properties: { label: { type: "object", properties: { name: { type: "string", description: "Label name" } }, description: "The label to add" } },
    });
  });

  it("follows references under properties named like data keywords (`default`, `enum`, `required`)", () => {
    const root: Schema = { type: "object", properties: { default: { $ref: "#/$defs/Label" }, enum: { $ref: "#/$defs/Status" }, required: { $ref: "#/$defs/Status" } } };
    expect(listingSchema(root, index)).toEqual({
      type: "object",
      properties: {
        default: { type: "object", properties: { name: { type: "string", description: "Label name" } } },
        enum: { $ref: "#/$defs/Status" },
        required: { $ref: "#/$defs/Status" },
      },
      $defs: { Status: { enum: ["open", "closed"], description: "Status of the thing" } },
    });
  });

  it("keeps a schema used twice once, under $defs", () => {
    const root: Schema = { type: "object", properties: { from: { $ref: "#/$defs/Status" }, to: { $ref: "#/$defs/Status" } } };
    expect(listingSchema(root, index)).toEqual({
      type: "object",
      properties: { from: { $ref: "#/$defs/Status" }, to: { $ref: "#/$defs/Status" } },
      $defs: { Status: { enum: ["open", "closed"], description: "Status of the thing" } },
    });
  });

  it("decides what to keep from each root's own references, in one index shared by roots with the same ones", () => {
    const shared = indexDefs(defs);
    const once: Schema = { type: "object", properties: { from: { $ref: "#/$defs/Status" } } };
    const twice: Schema = { type: "object", properties: { from: { $ref: "#/$defs/Status" }, to: { $ref: "#/$defs/Status" } } };
    const onceAgain: Schema = { type: "object", properties: { state: { $ref: "#/$defs/Status" }, note: { type: "string" } } };
    const status = { enum: ["open", "closed"], description: "Status of the thing" };
    expect(listingSchema(once, shared)).toEqual({ type: "object", properties: { from: status } });
    expect(listingSchema(twice, shared)).toEqual({ ...twice, $defs: { Status: status } });
    expect(listingSchema(onceAgain, shared)).toEqual({ type: "object", properties: { state: status, note: { type: "string" } } });
  });

  it("keeps self- and mutually recursive schemas as references", () => {
    const root: Schema = { type: "object", properties: { list: { $ref: "#/$defs/Node" }, a: { $ref: "#/$defs/A" } } };
    const listed = listingSchema(root, index);
    expect(listed["properties"]).toEqual({ list: { $ref: "#/$defs/Node" }, a: { $ref: "#/$defs/A" } });
    expect(Object.keys(listed["$defs"] as object)).toEqual(["A", "B", "Node"]);
    expect((listed["$defs"] as Record<string, Schema>)["Node"]).toEqual(defs.get("Node"));
  });

  it("inlines a schema that only leads into a cycle, and keeps the cycle's members as references", () => {
    const chain = new Map<string, Schema>([
      ["Entry", { type: "object", properties: { first: { $ref: "#/$defs/A" } } }],
      ["A", { type: "object", properties: { b: { $ref: "#/$defs/B" } } }],
      ["B", { type: "object", properties: { c: { $ref: "#/$defs/C" } } }],
      ["C", { type: "object", properties: { a: { $ref: "#/$defs/A" }, leaf: { $ref: "#/$defs/Leaf" } } }],
      ["Leaf", { type: "string" }],
    ]);
    const listed = listingSchema({ type: "object", properties: { entry: { $ref: "#/$defs/Entry" } } }, indexDefs(chain));
    expect(listed["properties"]).toEqual({ entry: { type: "object", properties: { first: { $ref: "#/$defs/A" } } } });
    expect(Object.keys(listed["$defs"] as object)).toEqual(["A", "B", "C"]);
    expect((listed["$defs"] as Record<string, Schema>)["C"]).toEqual({ type: "object", properties: { a: { $ref: "#/$defs/A" }, leaf: { type: "string" } } });
  });

  it("expands a named schema for each set of names a tool keeps: kept in one tool, inlined in the next", () => {
    const wrapped = indexDefs(
      new Map<string, Schema>([
        ["Wrapper", { type: "object", properties: { status: { $ref: "#/$defs/Status" } } }],
        ["Status", { enum: ["open", "closed"] }],
      ]),
    );
    const twice = listingSchema({ type: "object", properties: { wrapper: { $ref: "#/$defs/Wrapper" }, status: { $ref: "#/$defs/Status" } } }, wrapped);
    const once = listingSchema({ type: "object", properties: { wrapper: { $ref: "#/$defs/Wrapper" } } }, wrapped);
    const twiceAgain = listingSchema({ type: "object", properties: { wrapper: { $ref: "#/$defs/Wrapper" }, status: { $ref: "#/$defs/Status" } } }, wrapped);
    expect(twice).toEqual({
      type: "object",
      properties: { wrapper: { type: "object", properties: { status: { $ref: "#/$defs/Status" } } }, status: { $ref: "#/$defs/Status" } },
      $defs: { Status: { enum: ["open", "closed"] } },
    });
    expect(once).toEqual({ type: "object", properties: { wrapper: { type: "object", properties: { status: { enum: ["open", "closed"] } } } } });
    expect(twiceAgain).toEqual(twice);
  });

  it("keeps a property named __proto__ as a property, expanded like any other", () => {
    const root = JSON.parse('{"type":"object","properties":{"__proto__":{"$ref":"#/$defs/Label"}}}') as Schema;
    const listed = listingSchema(root, index);
    expect(JSON.stringify(listed)).toBe('{"type":"object","properties":{"__proto__":{"type":"object","properties":{"name":{"type":"string","description":"Label name"}}}}}');
  });

  it("never rewrites data keywords that merely look like schemas", () => {
    const root: Schema = { type: "object", properties: { x: { type: "object", default: { $ref: "#/$defs/Label" }, enum: [{ $ref: "#/$defs/Label" }] } } };
    expect(listingSchema(root, index)).toEqual(root);
  });
});

describe("compactOutputSchema", () => {
  it("gives each use of a shared schema its own description, on every response compacted with the same index", () => {
    const shared = indexDefs(defs);
    const root = (a: string, b: string): Schema => ({
      type: "object",
      properties: { from: { $ref: "#/$defs/Status", description: a }, to: { $ref: "#/$defs/Status", description: b }, plain: { $ref: "#/$defs/Status" } },
    });
    const status = { enum: ["open", "closed"] };
    for (const [a, b] of [["Before", "After"], ["Old", "New"]] as const) {
      expect(compactOutputSchema(root(a, b), shared)).toEqual({
        type: "object",
        properties: { from: { description: a, ...status }, to: { description: b, ...status }, plain: { description: "Status of the thing", ...status } },
      });
    }
  });

  it("keeps names, types and required three levels deep, descriptions on the first level only", () => {
    const root: Schema = {
      type: "object",
      description: "Top",
      properties: {
        owner: {
          type: "object",
          description: "Level one",
          required: ["login"],
          properties: { login: { type: "string", description: "Level two" }, plan: { type: "object", properties: { deep: { type: "object", properties: { x: { type: "string" } } } } } },
        },
        labels: { type: "array", items: { $ref: "#/$defs/Label" } },
      },
    };
    expect(compactOutputSchema(root, index)).toEqual({
      description: "Top",
      type: "object",
      properties: {
        owner: {
          description: "Level one",
          type: "object",
          properties: { login: { type: "string" }, plan: { type: "object", properties: { deep: { type: "object" } } } },
          required: ["login"],
        },
        labels: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      },
    });
  });

  it("remembers a named schema's compacted body per level, and marks every compacted body shared, in place or named", () => {
    const shared = indexDefs(defs);
    const inPlace: Schema = { type: "object", properties: { deep: { type: "object", properties: { x: { type: "string" } } } } };
    const root = (): Schema => ({ type: "object", properties: { label: { $ref: "#/$defs/Label" }, plan: inPlace, labels: { type: "array", items: { $ref: "#/$defs/Label" } } } });
    const first = compactOutputSchema(root(), shared);
    const second = compactOutputSchema(root(), shared);
    // The same text as with an index of its own, where nothing was remembered yet.
    expect(first).toEqual(compactOutputSchema(root(), indexDefs(defs)));
    expect(second).toEqual(first);
    const properties = (schema: Schema): Record<string, Schema> => schema["properties"] as Record<string, Schema>;
    // Label at level 1 (label) and at level 2 (labels' items): one body per level, the same for both responses.
    expect(properties(second)["label"]).toBe(properties(first)["label"]);
    expect(properties(second)["labels"]!["items"]).toBe(properties(first)["labels"]!["items"]);
    // A schema written in place is compacted again for each response that holds it, each copy marked shared.
    expect(properties(second)["plan"]).not.toBe(properties(first)["plan"]);
    for (const schema of [first, second]) {
      expect(shared.shared.has(properties(schema)["plan"]!)).toBe(true);
      expect(shared.shared.has(properties(properties(schema)["plan"]!)["deep"]!)).toBe(true);
    }
  });

  it("writes the kept keywords in its own order, whatever the source's, and drops the others", () => {
    // Every keyword compactedBody reads, in reverse of the order it writes them, with some it drops between them.
    const keywords = (additionalProperties: unknown): Schema => ({
      additionalProperties,
      required: ["a"],
      properties: { a: { type: "string", description: "Kept first at level one", title: "dropped" } },
      pattern: "dropped",
      items: { type: "integer" },
      allOf: [{ type: "object" }],
      anyOf: [{ type: "null" }],
      oneOf: [{ type: "string" }],
      deprecated: true,
      contentEncoding: "base64",
      minimum: 1,
      format: "byte",
      const: "x",
      enum: ["x"],
      type: "string",
      description: "Kept first at level zero",
    });
    const rest = '"deprecated":true,"oneOf":[{"type":"string"}],"anyOf":[{"type":"null"}],"allOf":[{"type":"object"}],"items":{"type":"integer"},"properties":{"a":{"description":"Kept first at level one","type":"string"}}';
    const head = '{"description":"Kept first at level zero","type":"string","enum":["x"],"const":"x","format":"byte","contentEncoding":"base64",';
    expect(JSON.stringify(compactOutputSchema(keywords(false), index))).toBe(`${head}${rest},"required":["a"],"additionalProperties":false}`);
    expect(JSON.stringify(compactOutputSchema(keywords({ type: "string" }), index))).toBe(`${head}${rest},"required":["a"],"additionalProperties":{"type":"string"}}`);
  });

  it("terminates on recursive schemas", () => {
    const compact = compactOutputSchema({ $ref: "#/$defs/Node" }, index);
    expect(JSON.stringify(compact)).toBe('{"type":"object","properties":{"value":{"type":"string"},"next":{"type":"object","properties":{"value":{"type":"string"},"next":{"type":"object","properties":{"value":{"type":"string"},"next":{"type":"object"}}}}}}}');
  });
});

describe("listingSizeAtLeast", () => {
  // `outputSchemas: auto` compacts a response whose floor is over the limit without expanding it: a floor above the
  // real size would compact a schema small enough to list whole.
  const roots: [string, Schema][] = [
    ["a use-site description beside a reference", { type: "object", properties: { label: { $ref: "#/$defs/Label", description: "The label" } } }],
    ["a repeated reference", { type: "object", properties: { from: { $ref: "#/$defs/Status" }, to: { $ref: "#/$defs/Status" } } }],
    ["recursion", { $ref: "#/$defs/Node" }],
    ["mutual recursion", { type: "array", items: { $ref: "#/$defs/A" } }],
    ["data keywords", { type: "object", default: { a: 1 }, enum: [{ b: 2 }], properties: { status: { $ref: "#/$defs/Status" } } }],
    ["a reference's other keys, dropped when it is inlined", { $ref: "#/$defs/Status", "x-a-long-extension-keyword-which-goes-when-the-reference-is-replaced-by-its-target": true }],
  ];
  it.each(roots)("never exceeds the listed JSON's length (%s)", (_, root) => {
    const floor = listingSizeAtLeast(root, index, Infinity);
    expect(floor).toBeGreaterThan(0);
    expect(floor).toBeLessThanOrEqual(JSON.stringify(listingSchema(root, index)).length);
  });

  it("counts descriptions and other strings, but not the one a description at the point of use replaces", () => {
    const long = "A description far longer than the one the reference gives at its point of use. ".repeat(4);
    const verbose = indexDefs(new Map<string, Schema>([["Verbose", { type: "object", description: long, properties: { note: { type: "string", description: long } } }]]));
    const replaced: Schema = { type: "object", properties: { item: { $ref: "#/$defs/Verbose", description: "Short." } } };
    const floor = listingSizeAtLeast(replaced, verbose, Infinity);
    // The nested description is written whatever the use site says; the top-level one is not.
    expect(floor).toBeGreaterThan(long.length);
    expect(floor).toBeLessThanOrEqual(JSON.stringify(listingSchema(replaced, verbose)).length);
  });

  it("counts every named schema a response reaches, so a large one is known large without expanding it", () => {
    const many = new Map<string, Schema>(
      Array.from({ length: 40 }, (_, i) => [`S${i}`, { type: "object", properties: { [`field_${i}_name`]: { $ref: `#/$defs/S${(i + 1) % 40}` } } }]),
    );
    const manyIndex = indexDefs(many);
    const floor = listingSizeAtLeast({ $ref: "#/$defs/S0" }, manyIndex, Infinity);
    expect(floor).toBeGreaterThan(40 * "field_0_name".length);
    expect(floor).toBeLessThanOrEqual(JSON.stringify(listingSchema({ $ref: "#/$defs/S0" }, manyIndex)).length);
    // It stops counting once past the limit.
    expect(listingSizeAtLeast({ $ref: "#/$defs/S0" }, manyIndex, 100)).toBeLessThan(floor);
  });
});

describe("isRecursive", () => {
  /** A seeded generator (mulberry32), so a failure names the graph it failed on. */
  const randoms = (seed: number): (() => number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Whether `name` reaches itself, by a plain search from each of its references. */
  const reachesItself = (graph: ReadonlyMap<string, readonly string[]>, name: string): boolean => {
    const seen = new Set<string>();
    const queue = [...(graph.get(name) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === name) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(graph.get(next) ?? []));
    }
    return false;
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("answers as a search of the whole graph, whatever order names are asked in (seed %i)", (seed) => {
    const random = randoms(seed);
    const count = 30;
    const graph = new Map<string, string[]>();
    const defs = new Map<string, Schema>();
    for (let i = 0; i < count; i++) {
      // Sparse edges (about 1.2 per name), some to names with no body, so there are chains, cycles and loners.
      const targets = Array.from({ length: Math.floor(random() * 3) }, () => `N${Math.floor(random() * (count + 3))}`);
      graph.set(`N${i}`, targets);
      defs.set(`N${i}`, { type: "object", properties: Object.fromEntries(targets.map((target, j) => [`p${j}`, { $ref: `#/$defs/${target}` }])) });
    }
    const index = indexDefs(defs);
    const names = [...Array.from({ length: count + 3 }, (_, i) => `N${i}`)].sort(() => random() - 0.5);
    for (const name of names) expect(isRecursive(index, name), name).toBe(reachesItself(graph, name));
  });

  it("walks only the bodies a listing schema reaches", () => {
    const index = indexDefs(defs);
    listingSchema({ type: "object", properties: { label: { $ref: "#/$defs/Label" } } }, index);
    expect([...index.refs.keys()]).toEqual(["Label"]);
    expect(isRecursive(index, "A")).toBe(true);
    expect([...index.refs.keys()].sort()).toEqual(["A", "B", "Label"]);
    expect(isRecursive(index, "Status")).toBe(false);
    expect(isRecursive(index, "Node")).toBe(true);
  });
});
