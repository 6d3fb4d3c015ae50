/**
 * spec/swagger2-quick.ts: a Swagger 2.0 document it calls valid, refs in place, is one validation's full path (the
 * dereference, then the meta-schema, then the semantic checks: load.ts, dereferencedProblems) finds no problem in;
 * held on cases built for each of its conditions and on random documents of refs, cycles, merges and lists.
 */
import { describe, expect, it } from "vitest";
import { dereferencedProblems } from "../../../scripts/generator/spec/load.ts";
import { EXCLUDE_NOTHING } from "../../../scripts/generator/spec/dereference.ts";
import { SwaggerParser } from "../../../scripts/generator/spec/swagger-parser.ts";
import { crawlBoundOf, validWithoutDereference } from "../../../scripts/generator/spec/swagger2-quick.ts";

type Json = Record<string, any>;

const info = { title: "t", version: "1" };
const ok = { 200: { description: "ok" } };
const doc = (paths: Json, extra: Json = {}): Json => ({ swagger: "2.0", info, paths, ...extra });
const ref = (name: string, section = "definitions"): Json => ({ $ref: `#/${section}/${name}` });
const body = (schema: Json): Json => ({ name: "b", in: "body", schema });

/** The quick verdict and the full path's problems, each on its own copy (the full path dereferences in place). */
async function outcomes(document: Json): Promise<{ quick: boolean; problems: string[] }> {
  const quick = validWithoutDereference(structuredClone(document));
  const problems = await dereferencedProblems(structuredClone(document), "2.0").catch((error: unknown) => [`threw ${String(error)}`]);
  return { quick, problems };
}

/** Documents the quick check must call valid (and the full path does). */
const QUICK: [string, Json][] = [
  ["no refs", doc({ "/a": { get: { parameters: [{ name: "q", in: "query", type: "string" }], responses: ok } } })],
  ["a body and a response naming definitions", doc({ "/a": { post: { parameters: [body(ref("A"))], responses: { 200: { description: "ok", schema: ref("A") } } } } }, { definitions: { A: { type: "object", properties: { b: ref("B") } }, B: { type: "string" } } })],
  ["a recursive definition", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("A") } } } } }, { definitions: { A: { type: "object", properties: { self: ref("A"), list: { type: "array", items: ref("A") } } } } })],
  ["two definitions in a cycle", doc({ "/a": { post: { parameters: [body(ref("A"))], responses: ok } } }, { definitions: { A: { type: "object", properties: { b: ref("B") } }, B: { type: "object", properties: { a: ref("A") } } } })],
  ["refs with a description beside them", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: { ...ref("A"), description: "d" } } } } } }, { definitions: { A: { type: "object", description: "a", properties: { b: { ...ref("B"), description: "b", "x-k": "v" } } }, B: { type: "string" } } })],
  ["a definition that is a ref (an alias)", doc({ "/a": { get: { responses: ok } } }, { definitions: { Old: { ...ref("New"), description: "deprecated" }, New: { type: "object", required: ["a"], properties: { a: { type: "string" } } } } })],
  ["parameter and response refs", doc({ "/a/{id}": { parameters: [ref("id", "parameters")], get: { parameters: [ref("q", "parameters")], responses: { 200: ref("R", "responses") } } } }, { parameters: { id: { name: "id", in: "path", required: true, type: "string" }, q: { name: "q", in: "query", type: "integer" } }, responses: { R: { description: "r", schema: ref("A") } }, definitions: { A: { type: "object", properties: { a: ref("A") } } } })],
  ["refs in a tuple's items", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: { type: "array", items: [ref("A"), ref("B")] } } } } } }, { definitions: { A: { type: "string" }, B: { type: "integer" } } })],
  ["a chain of 60 definitions", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("D0") } } } } }, { definitions: chain(60) })],
];

/** Documents the quick check must not call valid: it leaves them to the full path. */
const NOT_QUICK: [string, Json][] = [
  ["a body parameter ref whose schema is recursive (the library's check then sees the ref)", doc({ "/a": { post: { parameters: [ref("b", "parameters")], responses: ok } } }, { parameters: { b: body(ref("A")) }, definitions: { A: { type: "object", properties: { a: ref("A") } } } })],
  ["a chain of 200 definitions, past the dereference's depth limit", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("D0") } } } } }, { definitions: chain(200) })],
  ["a definition that names itself", doc({ "/a": { get: { responses: ok } } }, { definitions: { A: { ...ref("A"), description: "a" } } })],
  ["an array with a $ref member (built in code: the library takes it for a ref)", doc({ "/a": { get: { produces: Object.assign(["application/json"], { $ref: "#/definitions/A" }), responses: ok } } }, { definitions: { A: { type: "string" } } })],
  ["a ref to a ref", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("Old") } } } } }, { definitions: { Old: ref("New"), New: { type: "string" } } })],
  ["a ref in an extension", doc({ "/a": { get: { responses: ok, "x-r": ref("A") } } }, { definitions: { A: { type: "string" } } })],
  ["a ref in an example", doc({ "/a": { get: { responses: ok } } }, { definitions: { A: { type: "object", example: ref("A") } } })],
  ["a schema ref to a parameter", doc({ "/a": { post: { parameters: [body(ref("p", "parameters"))], responses: ok } } }, { parameters: { p: { name: "p", in: "query", type: "string" } } })],
  ["a ref with an escaped name", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("A~1B") } } } } }, { definitions: { "A/B": { type: "string" } } })],
  ["a path item ref", doc({ "/a": { $ref: "#/x-paths/a" } }, { "x-paths": { a: { get: { responses: ok } } } })],
  ["a ref merged with a type", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: { ...ref("A"), type: "string" } } } } } }, { definitions: { A: { type: "object" } } })],
  ["a ref merged with an object its target holds too", doc({ "/a": { get: { responses: { 200: { description: "ok", schema: { ...ref("A"), xml: { name: "b" } } } } } } }, { definitions: { A: { type: "object", xml: { name: "a" } } } })],
  ["a required property found only through an allOf ref", doc({ "/a": { get: { responses: ok } } }, { definitions: { A: { type: "object", required: ["a"], allOf: [ref("B")] }, B: { properties: { a: { type: "string" } } } } })],
  ["path item parameters, no operation, the same by ref", doc({ "/a": { parameters: [ref("p", "parameters"), { name: "p", in: "query", type: "string" }] } }, { parameters: { p: { name: "p", in: "query", type: "string" } } })],
  ["a missing required property", doc({ "/a": { get: { responses: ok } } }, { definitions: { A: { type: "object", required: ["z"], properties: { a: { type: "string" } } } } })],
  ["invalid against the meta-schema", doc({ "/a": { get: { responses: { 200: { schema: ref("A") } } } } }, { definitions: { A: { type: "string" } } })],
];

/** D0 → D1 → … each definition three levels above its ref to the next. */
function chain(length: number): Json {
  const definitions: Json = {};
  for (let i = 0; i < length; i++) {
    definitions[`D${i}`] = i + 1 < length ? { type: "object", properties: { a: { type: "object", properties: { b: ref(`D${i + 1}`) } } } } : { type: "string" };
  }
  return definitions;
}

describe("validWithoutDereference", () => {
  it.each(QUICK)("calls valid: %s", async (_, document) => {
    expect(await outcomes(document)).toEqual({ quick: true, problems: [] });
  });

  it.each(NOT_QUICK)("leaves to the full path: %s", async (_, document) => {
    expect((await outcomes(document)).quick).toBe(false);
  });

  it("calls valid only documents the full path finds valid (random documents)", async () => {
    let seed = 20;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    let quick = 0;
    let valid = 0;
    for (let round = 0; round < 1000; round++) {
      const document = randomDocument(random);
      const outcome = await outcomes(document);
      if (outcome.quick) {
        quick++;
        expect(outcome.problems, JSON.stringify(document)).toEqual([]);
      }
      if (outcome.problems.length === 0) valid++;
    }
    // Not vacuous: most valid documents are answered quickly.
    expect(quick).toBeGreaterThan(valid / 3);
    expect(valid).toBeGreaterThan(40);
  }, 60_000);
});

describe("crawlBoundOf", () => {
  /** Validation's dereference (load.ts) with this depth limit: what it throws, or undefined. */
  async function crawlError(document: Json, maxDepth: number, excludedPathMatcher: () => boolean): Promise<string | undefined> {
    const dereference = { circular: "ignore", excludedPathMatcher, maxDepth };
    const options = { dereference, resolve: { external: false }, validate: { schema: false, spec: false } };
    return (SwaggerParser.validate(structuredClone(document) as never, options as never) as unknown as Promise<unknown>).then(() => undefined, (error: unknown) => String(error));
  }

  it("is no lower than the depth the dereference's crawl reaches, ours and the library's (random documents)", async () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    let bounded = 0;
    for (let round = 0; round < 600; round++) {
      const document = deepDocument(random);
      const bound = crawlBoundOf(document);
      if (bound === undefined) continue;
      bounded++;
      expect(await crawlError(document, bound, EXCLUDE_NOTHING), JSON.stringify(document)).toBeUndefined();
      // The library's own crawl (any other excludedPathMatcher sends the call there).
      expect(await crawlError(document, bound, () => false), JSON.stringify(document)).toBeUndefined();
    }
    expect(bounded).toBeGreaterThan(300);
  }, 60_000);

  it("is reached: one less and the crawl throws (a chain of definitions)", async () => {
    const document = doc({ "/a": { get: { responses: { 200: { description: "ok", schema: ref("D0") } } } } }, { definitions: chain(5) });
    const bound = crawlBoundOf(document)!;
    expect(await crawlError(document, bound, EXCLUDE_NOTHING)).toBeUndefined();
    expect(await crawlError(document, bound - 1, EXCLUDE_NOTHING)).toMatch(/Maximum dereference depth/);
  });
});

/** Definitions in cycles, nested schemas and refs with members beside `$ref` (merged by the dereference). */
function deepDocument(random: (n: number) => number): Json {
  const count = 1 + random(6);
  const names = Array.from({ length: count }, (_, i) => `S${i}`);
  const schemaRef = (): Json => (random(2) === 0 ? { ...ref(names[random(count)]!), description: "d", ...(random(3) === 0 && { "x-n": { a: { b: 1 } } }) } : ref(names[random(count)]!));
  const schema = (level: number): Json => {
    if (level > 3 || random(3) === 0) return random(2) === 0 ? schemaRef() : { type: "string" };
    const properties: Json = {};
    const members = random(3);
    for (let i = 0; i < members; i++) properties[`p${i}`] = schema(level + 1);
    const result: Json = { type: "object", properties };
    if (random(3) === 0) result["items"] = schema(level + 1);
    if (random(3) === 0) result["allOf"] = [schema(level + 1)];
    if (random(3) === 0) result["additionalProperties"] = schema(level + 1);
    if (random(4) === 0) result["xml"] = { name: "x" };
    return result;
  };
  const definitions: Json = {};
  for (const name of names) definitions[name] = random(6) === 0 ? { ...ref(names[random(count)]!), description: "alias" } : schema(0);
  const responses: Json = {};
  for (let i = 0; i < 3; i++) responses[200 + i] = { description: "r", schema: schema(1) };
  return doc({ "/a": { post: { parameters: [body(schema(1))], responses } } }, { definitions });
}

/** A small document of definitions, parameters and responses referring to each other at random. */
function randomDocument(random: (n: number) => number): Json {
  const names = ["A", "B", "C", "D"];
  const pick = (): string => names[random(names.length)]!;
  const schemaRef = (): Json => (random(4) === 0 ? { ...ref(pick()), description: "d" } : ref(pick()));
  const property = (): Json => {
    switch (random(7)) {
      case 0: return schemaRef();
      case 1: return { type: "array", items: schemaRef() };
      case 2: return { allOf: [schemaRef()] };
      case 3: return { type: "object", additionalProperties: schemaRef() };
      case 4: return { type: "array" };
      case 5: return random(2) === 0 ? { ...ref(pick()), type: "string" } : { type: "integer", "x-r": random(3) === 0 ? ref(pick()) : "v" };
      default: return { type: "string" };
    }
  };
  const definitions: Json = {};
  for (const name of names) {
    if (random(8) === 0) {
      definitions[name] = { ...ref(pick()), description: "alias" };
      continue;
    }
    const properties: Json = {};
    const count = random(3);
    for (let i = 0; i < count; i++) properties[`p${i}`] = property();
    const schema: Json = { type: random(5) === 0 ? "string" : "object", properties };
    if (random(3) === 0) schema["required"] = [`p${random(3)}`];
    if (random(5) === 0) schema["allOf"] = [schemaRef()];
    definitions[name] = schema;
  }
  const parameters: Json = {
    body: body(schemaRef()),
    q: { name: "q", in: "query", type: "string" },
    q2: { name: "q", in: "query", type: "integer" },
    id: { name: "id", in: "path", required: true, type: "string" },
  };
  const parameterNames = Object.keys(parameters);
  const responses: Json = { R: { description: "r", schema: schemaRef() }, E: { description: "e" } };
  const parameterList = (): Json[] => {
    const list: Json[] = [];
    const count = random(3);
    for (let i = 0; i < count; i++) {
      const which = random(4);
      list.push(which === 0 ? body(schemaRef()) : which === 1 ? { name: `i${random(2)}`, in: "query", type: "string" } : ref(parameterNames[random(parameterNames.length)]!, "parameters"));
    }
    return list;
  };
  const operation = (): Json => ({
    parameters: parameterList(),
    responses: { 200: random(2) === 0 ? ref(random(2) === 0 ? "R" : "E", "responses") : { description: "ok", schema: schemaRef() } },
  });
  const paths: Json = { "/a/{id}": { parameters: [ref("id", "parameters")], get: operation(), post: operation() } };
  paths[`/b`] = random(3) === 0 ? { parameters: parameterList() } : { put: operation() };
  return doc(paths, { definitions, parameters, responses });
}
