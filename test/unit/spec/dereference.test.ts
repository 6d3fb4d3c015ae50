import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXCLUDE_NOTHING } from "../../../scripts/generator/spec/dereference.ts";
import { SwaggerParser } from "../../../scripts/generator/spec/swagger-parser.ts";

type Json = Record<string, unknown>;

/**
 * Dereferences as spec/load.ts does for a Swagger 2.0 document (`ours`: the repeated crawl of dereference.ts) or with
 * the options that leave it to json-schema-ref-parser's own dereference.
 */
async function dereferenced(document: Json, ours: boolean, maxDepth?: number): Promise<{ schema?: unknown; circular?: boolean; error?: string }> {
  const parser = new (SwaggerParser as unknown as new () => { dereference(api: unknown, options: unknown): Promise<unknown>; $refs: { circular: boolean } })();
  const dereference = { circular: "ignore", ...(ours && { excludedPathMatcher: EXCLUDE_NOTHING }), ...(maxDepth && { maxDepth }) };
  try {
    const schema = await parser.dereference(structuredClone(document), { dereference, resolve: { external: false } });
    return { schema, circular: parser.$refs.circular };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Whether two object graphs have the same keys in the same order, the same values and the same objects shared. */
function sameGraph(a: unknown, b: unknown): boolean {
  const pairs = new Map<object, object>();
  const reverse = new Map<object, object>();
  const same = (x: unknown, y: unknown): boolean => {
    if (x === null || typeof x !== "object" || y === null || typeof y !== "object") return Object.is(x, y);
    if (pairs.has(x) || reverse.has(y)) return pairs.get(x) === y && reverse.get(y) === x;
    pairs.set(x, y);
    reverse.set(y, x);
    const keys = Object.keys(x);
    if (Array.isArray(x) !== Array.isArray(y) || keys.join("\0") !== Object.keys(y).join("\0")) return false;
    return keys.every((key) => same((x as Json)[key], (y as Json)[key]));
  };
  return same(a, b);
}

const info = { title: "t", version: "1" };
const get = (schema: unknown) => ({ get: { responses: { 200: { description: "ok", schema } } } });
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

const DOCUMENTS: readonly [string, Json][] = [
  ["definitions shared by many operations and by each other", {
    swagger: "2.0", info,
    paths: { "/a": get(ref("A")), "/b": get({ type: "array", items: ref("B") }), "/c": get(ref("B")) },
    definitions: { A: { type: "object", properties: { b: ref("B"), c: ref("C") } }, B: { properties: { c: ref("C"), list: { type: "array", items: ref("C") } } }, C: { type: "string" } },
  }],
  ["a recursive definition, one reached through another, and a plain one beside them", {
    swagger: "2.0", info,
    paths: { "/n": get(ref("Node")), "/t": get(ref("Tree")), "/l": get(ref("Leaf")), "/w": get({ properties: { tree: ref("Tree"), leaf: ref("Leaf") } }) },
    definitions: {
      Node: { properties: { next: ref("Node"), leaf: ref("Leaf") } },
      Tree: { properties: { root: ref("Node"), kids: { type: "array", items: ref("Tree") } } },
      Leaf: { properties: { value: { type: "string" } } },
    },
  }],
  ["mutually recursive definitions first reached from different sides", {
    swagger: "2.0", info,
    paths: { "/a": get(ref("A")), "/b": get(ref("B")), "/x": get({ properties: { a: ref("A"), plain: ref("Plain") } }) },
    definitions: { A: { properties: { b: ref("B"), plain: ref("Plain") } }, B: { properties: { a: ref("A") } }, Plain: { properties: { p: { type: "integer" } } } },
  }],
  ["refs with members beside $ref, a ref to a ref, and a ref into a definition", {
    swagger: "2.0", info,
    paths: { "/a": get({ $ref: "#/definitions/A", description: "an A" }), "/b": get(ref("Alias")), "/c": get({ $ref: "#/definitions/A/properties/name" }), "/d": get(ref("A")) },
    definitions: { A: { properties: { name: { type: "string" }, self: { $ref: "#/definitions/A", description: "again" } } }, Alias: ref("A") },
  }],
  ["parameters and responses shared through refs, and an object with a $ref that is no string", {
    swagger: "2.0", info,
    parameters: { Q: { name: "q", in: "query", type: "string" } },
    responses: { Ok: { description: "ok", schema: ref("R") } },
    paths: { "/a": { get: { parameters: [{ $ref: "#/parameters/Q" }], responses: { 200: { $ref: "#/responses/Ok" } } } }, "/b": { get: { parameters: [{ $ref: "#/parameters/Q" }], responses: { 200: { $ref: "#/responses/Ok" } } } } },
    definitions: { R: { properties: { odd: { $ref: 7, x: ref("S") }, s: ref("S") } }, S: { type: "object" } },
  }],
  ["refs whose pointers are percent-encoded or escaped (RFC 6901 §6), resolved as the library resolves them", {
    swagger: "2.0", info,
    paths: {
      "/a": get({ $ref: "#/definitions/A%20B" }), "/b": get({ $ref: "#/definitions/Caf%C3%A9" }), "/c": get({ $ref: "#/definitions/a~1b" }),
      "/d": get({ $ref: "#/definitions/A B" }), "/e": get({ $ref: "#/definitions/A%20B" }), "/f": get({ $ref: "#/definitions/Caf%C3%A9 " }),
    },
    definitions: { "A B": { type: "string" }, "Café": { type: "integer" }, "a/b": { properties: { again: { $ref: "#/definitions/Caf%C3%A9" } } } },
  }],
  ["a percent-encoded ref to nothing (the library's error names the decoded pointer)", {
    swagger: "2.0", info,
    paths: { "/a": get({ $ref: "#/definitions/A%20B" }), "/b": get({ $ref: "#/definitions/No%20Such" }) },
    definitions: { "A B": { type: "string" } },
  }],
];

describe("dereference.ts: json-schema-ref-parser's dereference without crawling finished objects again", () => {
  it.each(DOCUMENTS)("dereferences %s to the library's document, sharing and circular flag", async (_name, document) => {
    const library = await dereferenced(document, false);
    const ours = await dereferenced(document, true);
    expect(ours.error).toBe(library.error);
    expect(ours.circular).toBe(library.circular);
    expect(sameGraph(ours.schema, library.schema)).toBe(true);
  });

  it("throws the library's error where a finished schema would be crawled again past maxDepth", async () => {
    // Deep is crawled first below /a's response; Outer, a chain of 12 levels ending in a ref to Deep, is dereferenced
    // below /b's, and crawled again under #/definitions: there Deep's objects are reached some 12 levels deeper.
    let deep: Json = { type: "string" };
    for (let i = 0; i < 6; i++) deep = { properties: { [`p${i}`]: deep } };
    let outer: Json = ref("Deep");
    for (let i = 0; i < 6; i++) outer = { properties: { [`o${i}`]: outer } };
    const document = { swagger: "2.0", info, paths: { "/a": get(ref("Deep")), "/b": get(ref("Outer")) }, definitions: { Deep: deep, Outer: outer } };
    const errors = new Set<string | undefined>();
    for (let maxDepth = 10; maxDepth < 40; maxDepth++) {
      const library = await dereferenced(document, false, maxDepth);
      const ours = await dereferenced(document, true, maxDepth);
      expect(ours.error).toBe(library.error);
      expect(sameGraph(ours.schema, library.schema)).toBe(true);
      errors.add(ours.error?.replace(/ This .*/, "").replace(/\(\d+\)/, "(n)"));
    }
    // Some limits are passed only where Deep is crawled again, which the crawl that skips it must still see.
    expect([...errors].some((error) => error?.includes("exceeded at #/definitions/Outer/properties/o5"))).toBe(true);
  });

  it("gives the library's error for a ref to nothing, and the library's document for a ref to itself, deep in an operation", async () => {
    // Both use the paths of the object holding the ref (the missing target's message, the circular ref's new text),
    // which the crawl makes only when it needs them.
    const deep = (schema: unknown) => get({ type: "object", properties: { a: { type: "array", items: { properties: { "b/c~d": schema } } } } });
    const missing = { swagger: "2.0", info, paths: { "/x": deep(ref("Nope")) }, definitions: { A: { type: "string" } } };
    const library = await dereferenced(missing, false);
    const ours = await dereferenced(missing, true);
    expect(library.error).toMatch(/Nope/);
    expect(ours.error).toBe(library.error);
    const selfish = { swagger: "2.0", info, paths: { "/x": deep(ref("Self")), "/y": deep({ items: ref("Loop") }) }, definitions: { Self: ref("Self"), Loop: { properties: { again: ref("Loop") } } } };
    const libraryDocument = await dereferenced(selfish, false);
    const ourDocument = await dereferenced(selfish, true);
    expect(ourDocument.error).toBe(libraryDocument.error);
    expect(ourDocument.circular).toBe(libraryDocument.circular);
    expect(sameGraph(ourDocument.schema, libraryDocument.schema)).toBe(true);
    expect(JSON.stringify(ourDocument.schema)).toBe(JSON.stringify(libraryDocument.schema));
  });

  it("gives the library's document when Object.prototype has an enumerable property (the crawl lists keys by for…in)", async () => {
    const document = DOCUMENTS[0]![1];
    Object.defineProperty(Object.prototype, "inherited", { value: ref("C"), enumerable: true, configurable: true, writable: true });
    try {
      const library = await dereferenced(document, false);
      const ours = await dereferenced(document, true);
      expect(ours.error).toBe(library.error);
      expect(sameGraph(ours.schema, library.schema)).toBe(true);
    } finally {
      delete (Object.prototype as Json)["inherited"];
    }
  });

  it("gives the library's document for the Swagger 2.0 examples of @readme/oas-examples", async () => {
    const folder = join(dirname(createRequire(import.meta.url).resolve("@readme/oas-examples/package.json")), "2.0/json");
    const files = readdirSync(folder).filter((file) => file.endsWith(".json"));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const document = JSON.parse(readFileSync(join(folder, file), "utf8")) as Json;
      const library = await dereferenced(document, false);
      const ours = await dereferenced(document, true);
      expect([file, ours.circular, sameGraph(ours.schema, library.schema)]).toEqual([file, library.circular, true]);
    }
  });

  it("crawls a definition shared by many others once, where the library crawls it again through each", async () => {
    // Counts how often the crawl lists the members of an object inside the shared definition.
    const crawls = { count: 0 };
    const counted = () => new Proxy({ type: "string" }, { ownKeys: (target) => (crawls.count++, Reflect.ownKeys(target)) });
    const definitions: Json = { Shared: { properties: { name: "filled in below" } } };
    const paths: Json = {};
    for (let i = 0; i < 20; i++) {
      definitions[`User${i}`] = { properties: { shared: ref("Shared") } };
      paths[`/u${i}`] = get(ref(`User${i}`));
    }
    const run = async (ours: boolean) => {
      const document = { swagger: "2.0", info, paths: structuredClone(paths), definitions: structuredClone(definitions) };
      ((document.definitions["Shared"] as Json)["properties"] as Json)["name"] = counted();
      crawls.count = 0;
      const parser = new (SwaggerParser as unknown as new () => { dereference(api: unknown, options: unknown): Promise<unknown> })();
      const dereference = { circular: "ignore", ...(ours && { excludedPathMatcher: EXCLUDE_NOTHING }) };
      await parser.dereference(document, { dereference, resolve: { external: false } });
      return crawls.count;
    };
    expect(await run(false)).toBeGreaterThan(20);
    expect(await run(true)).toBe(1);
  });
});
