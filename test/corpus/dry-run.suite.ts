/**
 * Dry runs: for every operation of the small corpora and ~30 of GitHub's, arguments made from the RAW spec
 * (test/corpus/sample-args.ts)
 * go through the generated tool as a client's call would: its zod validator, then the request builder. The request
 * must be the one the spec implies (method, path with encoded values, query, headers, cookies, body), worked out
 * independently of the generator. Invalid arguments (a missing required one, one of the wrong type) must be
 * rejected with an issue naming that argument.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderRequest } from "../../scripts/render-request.ts";
import { buildRequest, type HttpRequestPlan } from "../../src/tools/request.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";
import { CORPORA, corpus, type Corpus } from "./corpora.ts";
import { CORPUS_GROUP, generated, importTools, prefetch, type GeneratedCorpus } from "./generated.ts";
import {
  isIgnoredHeader,
  isObject,
  operationLabel,
  rawBody,
  rawOperations,
  readRawSpec,
  resolve,
  topLevelProperties,
  type Json,
  type RawOperation,
  type RawParameter,
  type RawSpec,
} from "./raw-spec.ts";
import {
  parameterValue,
  SAMPLE_BASE64,
  sampleValue,
  scalar,
  Unsatisfiable,
  wantedHeader,
  wantedPairs,
  wantedPathText,
} from "./sample-args.ts";

const GROUP = CORPUS_GROUP;
/** The base URL test/helpers/corpus.ts writes into each bridge.yaml: a path prefix, so prefixing is checked too. */
const BASE_URL = "https://api.example.test/base";
const BASE_PATH = "/base";

interface Sample {
  corpus: Corpus;
  /** Which operations to dry-run (all when absent). */
  pick?: (operations: RawOperation[], raw: RawSpec) => RawOperation[];
}

/**
 * Every operation of every small corpus (the petstores, parameters-style, parameters-cookies, file-uploads,
 * form-data, schema-types, Figma, …: about 770, a few seconds) and a deterministic sample of GitHub's.
 */
const SAMPLES: Sample[] = [
  ...CORPORA.filter((c) => c.size === "small").map((c) => ({ corpus: c })),
  { corpus: corpus("github"), pick: pickGithub },
];

/**
 * About 30 GitHub operations, the same every run: evenly spaced (in path order) through the operations with path
 * parameters and a JSON body, with array query parameters, with other query parameters, and through the rest.
 * (GitHub's spec has no header or cookie parameters: parameters-style covers those.)
 */
function pickGithub(operations: RawOperation[], raw: RawSpec): RawOperation[] {
  const sorted = [...operations].sort((a, b) => (a.pointer < b.pointer ? -1 : 1));
  const has = (op: RawOperation, test: (p: RawParameter) => boolean): boolean => op.parameters.some(test);
  const isArray = (p: RawParameter): boolean => resolve(raw.doc, p.schema)?.["type"] === "array";
  const jsonBody = (op: RawOperation): boolean => Object.keys(rawBody(raw, op)?.content ?? {}).includes("application/json");
  const buckets: [(op: RawOperation) => boolean, number][] = [
    [(op) => has(op, (p) => p.in === "path") && jsonBody(op), 10],
    [(op) => has(op, (p) => p.in === "query" && isArray(p)), 6],
    [(op) => has(op, (p) => p.in === "query" && !isArray(p)), 6],
    [() => true, 8],
  ];
  const chosen = new Set<RawOperation>();
  for (const [matches, count] of buckets) {
    const pool = sorted.filter((op) => matches(op) && !chosen.has(op));
    for (let i = 0; i < Math.min(count, pool.length); i++) chosen.add(pool[Math.floor((i * pool.length) / Math.min(count, pool.length))]!);
  }
  return sorted.filter((op) => chosen.has(op));
}

// The raw specs are read while collecting, so that each sampled operation is a test of its own.
const plans = await Promise.all(
  SAMPLES.map(async (sample) => {
    const raw = await readRawSpec(await sample.corpus.specPath());
    const all = rawOperations(raw).filter((op) => !sample.corpus.excluded?.includes(operationLabel(op)));
    const operations = sample.pick ? sample.pick(all, raw) : all;
    return { ...sample, raw, cases: operations.map((op) => ({ op, label: `${op.method} ${op.path}` })) };
  }),
).then((all) => all.filter((plan) => plan.cases.length > 0)); // 3.1/webhooks.json has webhooks only

beforeAll(() => prefetch(GROUP, plans.map((plan) => plan.corpus)));

describe.each(plans)("dry run $corpus.name", ({ corpus, raw, cases }) => {
  let g: GeneratedCorpus;
  let tools: readonly ToolDefinition[];

  beforeAll(async () => {
    g = await generated(GROUP, corpus);
    tools = await importTools(g.dir);
  });

  it.for(cases)("$label", async ({ op }, ctx) => {
    const label = operationLabel(op);
    const tool = tools.find((t) => t.operationId === label);
    if (!tool) {
      const skip = g.result.model.skipped.find((s) => s.operation === label);
      expect(skip, `${label} is neither a tool nor a reported skip`).toBeDefined();
      ctx.skip(`the generator skips it: ${skip?.reason}`);
      return;
    }
    let sample: ArgumentSample;
    try {
      sample = sampleArguments(raw, op, tool);
    } catch (error) {
      if (error instanceof Unsatisfiable) ctx.skip(`no valid arguments can be made: ${error.message}`);
      throw error;
    }

    const parsed = tool.input().safeParse(sample.args);
    expect(parsed.success ? [] : parsed.error.issues, `valid arguments rejected: ${JSON.stringify(sample.args)}`).toEqual([]);

    const plan = buildRequest(tool.http, sample.args, BASE_URL);
    if (process.env["CORPUS_DEBUG"]) console.log(`${label}\n${JSON.stringify(sample.args)}\n${await renderRequest(plan)}\n`);
    await expectRequest(plan, raw, op, tool, sample);
    expect(invalidArgumentProblems(raw, op, tool, sample)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Arguments

interface ArgumentSample {
  args: Record<string, unknown>;
  /** Each parameter given, with its value. */
  parameters: { parameter: RawParameter; key: string; value: unknown }[];
  body?: { value: unknown; media: Json; contentType: string };
}

function sampleArguments(raw: RawSpec, op: RawOperation, tool: ToolDefinition): ArgumentSample {
  const args: Record<string, unknown> = {};
  const parameters: ArgumentSample["parameters"] = [];
  for (const parameter of op.parameters) {
    if (isIgnoredHeader(parameter)) continue;
    let value: unknown;
    try {
      value = parameterValue(raw.doc, parameter);
    } catch (error) {
      if (parameter.required || !(error instanceof Unsatisfiable)) throw error;
      continue; // an optional parameter can be left out
    }
    // The input key is the generator's choice (names may need cleaning or collide); the binding says which it is.
    const binding = tool.http.parameters.find((b) => b.name === parameter.name && b.in === parameter.in);
    if (!binding) throw new Error(`${parameter.in} parameter ${parameter.name} has no binding`);
    args[binding.key] = value;
    parameters.push({ parameter, key: binding.key, value });
  }
  const sample: ArgumentSample = { args, parameters };
  const body = rawBody(raw, op);
  const binding = tool.http.body;
  if (!body || !binding) return sample;
  const media = body.formData
    ? Object.values(body.content)[0]!
    : (body.content[binding.contentType] ?? Object.entries(body.content).find(([type]) => type.includes("*"))?.[1]);
  if (!media) throw new Error(`no ${binding.contentType} in the spec's request body`);
  let value: unknown;
  try {
    value = bodySample(raw, media, binding.encoding);
  } catch (error) {
    if (body.required || !(error instanceof Unsatisfiable)) throw error;
    return sample;
  }
  if ("spread" in binding.from) {
    if (!isObject(value)) throw new Error(`a flattened body needs an object, the sample is ${JSON.stringify(value)}`);
    for (const [name, member] of Object.entries(value)) {
      const entry = binding.from.spread.find((s) => s.name === name);
      if (!entry) throw new Error(`body property ${name} has no input key`);
      args[entry.key] = member;
    }
  } else args[binding.from.key] = value;
  sample.body = { value, media, contentType: binding.contentType };
  return sample;
}

function bodySample(raw: RawSpec, media: Json, encoding: string): unknown {
  if (encoding === "binary") return SAMPLE_BASE64;
  const examples: unknown[] = [media["example"]];
  if (isObject(media["examples"])) for (const example of Object.values(media["examples"])) examples.push(resolve(raw.doc, example)?.["value"]);
  // Never a `null` body: the request builder sends no body for null (documented in src/tools/request.ts).
  const value = sampleValue(raw.doc, media["schema"] ?? {}, examples.filter((example) => example !== null), true, false);
  if (encoding === "text" && typeof value !== "string") return "some text";
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// The request

async function expectRequest(plan: HttpRequestPlan, raw: RawSpec, op: RawOperation, tool: ToolDefinition, sample: ArgumentSample): Promise<void> {
  expect(plan.method).toBe(op.method);
  const url = new URL(plan.url);
  expect(url.origin).toBe(new URL(BASE_URL).origin);
  expect(url.hash).toBe("");

  // Path: the template (without a `#fragment`, which is not part of a request target, RFC 9110 §7.1) with each
  // parameter expanded and percent-encoded.
  const byName = (location: string) => sample.parameters.filter((p) => p.parameter.in === location);
  const pathValues = new Map(byName("path").map((p) => [p.parameter.name, p] as const));
  const template = op.path.split("#")[0]!;
  const path = template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const given = pathValues.get(name);
    if (!given) throw new Error(`no value for path variable {${name}}`);
    return wantedPathText(given.parameter, given.value);
  });
  expect(url.pathname, "path").toBe(`${BASE_PATH}${path}`);

  const query = byName("query").flatMap((p) => wantedPairs(p.parameter, p.value));
  expect(sorted([...url.searchParams]), "query").toEqual(sorted(query));

  const headers = Object.fromEntries(byName("header").map((p) => [p.parameter.name.toLowerCase(), wantedHeader(p.parameter, p.value)]));
  const got = Object.fromEntries(Object.entries(plan.headers).filter(([name]) => !["accept", "content-type", "cookie"].includes(name)));
  expect(got, "headers").toEqual(headers);

  const cookies = byName("cookie").flatMap((p) => wantedPairs(p.parameter, p.value));
  const cookieHeader = plan.headers["cookie"];
  const sent = cookieHeader === undefined ? [] : cookieHeader.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return [decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))] as [string, string];
  });
  expect(sorted(sent), "cookies").toEqual(sorted(cookies));

  await expectBody(plan, raw, tool, sample);
}

async function expectBody(plan: HttpRequestPlan, raw: RawSpec, tool: ToolDefinition, sample: ArgumentSample): Promise<void> {
  const binding = tool.http.body;
  if (!sample.body || !binding) {
    expect(plan.body, "no body").toBeUndefined();
    return;
  }
  const { value } = sample.body;
  switch (binding.encoding) {
    case "json":
      expect(plan.headers["content-type"]).toBe(sample.body.contentType);
      expect(typeof plan.body).toBe("string");
      expect(JSON.parse(plan.body as string), "JSON body").toEqual(value);
      return;
    case "form": {
      expect(plan.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(plan.body).toBeInstanceOf(URLSearchParams);
      // Scalars as text, arrays as repeated fields; nested objects as JSON text (the bridge's convention).
      const fields = Object.entries(value as Json).flatMap(([name, member]) =>
        (Array.isArray(member) ? member : [member]).map((item) => [name, scalar(item)] as [string, string]),
      );
      expect(sorted([...(plan.body as URLSearchParams)]), "form fields").toEqual(sorted(fields));
      return;
    }
    case "multipart":
      return expectMultipart(plan, raw.doc, sample, value as Json);
    case "binary":
      expect(plan.headers["content-type"]).toBe(binding.contentType);
      expect([...(plan.body as Uint8Array)]).toEqual([...Buffer.from(SAMPLE_BASE64, "base64")]);
      return;
    case "text":
      expect(plan.headers["content-type"]).toBe(binding.contentType);
      expect(plan.body).toBe(value);
      return;
  }
}

/**
 * multipart/form-data (RFC 7578; OpenAPI 3.1 §4.8.15 Encoding Object defaults): binary strings as file parts,
 * objects and arrays of objects as one application/json part, arrays of primitives as repeated fields, primitives as
 * text fields.
 */
async function expectMultipart(plan: HttpRequestPlan, doc: Json, sample: ArgumentSample, value: Json): Promise<void> {
  expect(plan.body).toBeInstanceOf(FormData);
  const form = plan.body as FormData;
  const schema = sample.body!.media["schema"];
  const properties = new Map(topLevelProperties(doc, schema).map((p) => [p.name, p.schema]));
  expect([...new Set(form.keys())].sort(), "multipart part names").toEqual(Object.keys(value).sort());
  const bytes = [...Buffer.from(SAMPLE_BASE64, "base64")];
  for (const [name, member] of Object.entries(value)) {
    const property = properties.get(name) ?? {};
    const items = resolve(doc, property["items"]);
    const parts = form.getAll(name);
    if (isBinary(property) || (Array.isArray(member) && items && isBinary(items))) {
      const count = Array.isArray(member) ? member.length : 1;
      expect(parts.length, `${name}: file parts`).toBe(count);
      for (const part of parts) {
        expect(part, `${name} is a file part`).toBeInstanceOf(Blob);
        expect([...new Uint8Array(await (part as Blob).arrayBuffer())], `${name}: file content`).toEqual(bytes);
      }
    } else if (isObject(member) || (Array.isArray(member) && member.some(isObject))) {
      expect(parts.length, `${name}: one JSON part`).toBe(1);
      expect(parts[0]).toBeInstanceOf(Blob);
      expect((parts[0] as Blob).type).toBe("application/json");
      expect(JSON.parse(await (parts[0] as Blob).text()), `${name}: JSON part`).toEqual(member);
    } else {
      const wanted = (Array.isArray(member) ? member : [member]).map(scalar);
      expect(parts, `${name}: text fields`).toEqual(wanted);
    }
  }
}

function isBinary(schema: Json): boolean {
  return schema["format"] === "binary" || schema["type"] === "file" || schema["contentEncoding"] === "base64";
}

function sorted(pairs: [string, string][]): [string, string][] {
  return [...pairs].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid arguments

function invalidArgumentProblems(raw: RawSpec, op: RawOperation, tool: ToolDefinition, sample: ArgumentSample): string[] {
  const problems: string[] = [];
  const input = tool.input();
  const rejectsAt = (args: Record<string, unknown>, key: string, what: string): void => {
    const result = input.safeParse(args);
    if (result.success) problems.push(`${what}: accepted`);
    else if (!result.error.issues.some((issue) => issue.path[0] === key)) {
      problems.push(`${what}: rejected, but no issue names "${key}": ${JSON.stringify(result.error.issues)}`);
    }
  };
  const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(sample.args).filter(([k]) => k !== key));

  for (const { parameter, key } of sample.parameters) {
    if (parameter.required) rejectsAt(without(key), key, `missing required ${parameter.in} parameter ${key}`);
    const wrong = wrongType(raw.doc, parameter.schema);
    if (wrong !== undefined) rejectsAt({ ...sample.args, [key]: wrong.value }, key, `${parameter.in} parameter ${key} as ${wrong.type}`);
  }
  const body = rawBody(raw, op);
  const binding = tool.http.body;
  if (!body || !binding || !sample.body) return problems;
  const schema = sample.body.media["schema"];
  if ("spread" in binding.from) {
    for (const property of topLevelProperties(raw.doc, schema)) {
      const entry = binding.from.spread.find((s) => s.name === property.name);
      if (!entry || !(entry.key in sample.args)) continue;
      // A property required inside an optional body is only required when a body is sent: the other keys are.
      if (body.required && property.required) rejectsAt(without(entry.key), entry.key, `missing required body property ${entry.key}`);
      const wrong = wrongType(raw.doc, property.schema);
      if (wrong !== undefined) rejectsAt({ ...sample.args, [entry.key]: wrong.value }, entry.key, `body property ${entry.key} as ${wrong.type}`);
    }
  } else if (binding.encoding !== "binary" && binding.encoding !== "text") {
    const key = binding.from.key;
    if (body.required) rejectsAt(without(key), key, `missing required body ${key}`);
    const wrong = wrongType(raw.doc, schema);
    if (wrong !== undefined) rejectsAt({ ...sample.args, [key]: wrong.value }, key, `body ${key} as ${wrong.type}`);
  } else if (body.required) rejectsAt(without(binding.from.key), binding.from.key, `missing required body ${binding.from.key}`);
  return problems;
}

/** A value of a type the schema does not allow, when its allowed types are known. */
function wrongType(doc: Json, schema: unknown): { value: unknown; type: string } | undefined {
  const types = allowedTypes(doc, schema, 0);
  if (!types) return undefined;
  const candidates: [unknown, string][] = [[12345, "integer"], ["not a number", "string"], [true, "boolean"], [{ x: 1 }, "object"], [["x"], "array"]];
  // An integer is a number too: 12345 is only wrong where neither is allowed.
  const found = candidates.find(([, type]) => !types.has(type) && !(type === "integer" && types.has("number")));
  return found && { value: found[0], type: found[1] };
}

function allowedTypes(doc: Json, raw: unknown, depth: number): Set<string> | undefined {
  if (depth > 8) return undefined;
  const schema = resolve(doc, raw) ?? {};
  const own = typeof schema["type"] === "string" ? [schema["type"]] : Array.isArray(schema["type"]) ? (schema["type"] as string[]) : undefined;
  for (const keyword of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[keyword])) {
      const union = new Set<string>();
      for (const member of schema[keyword]) {
        const types = allowedTypes(doc, member, depth + 1);
        if (!types) return own ? new Set(own) : undefined;
        for (const type of types) union.add(type);
      }
      return own ? new Set(own.filter((t) => union.has(t))) : union;
    }
  }
  if (!own) return undefined;
  return new Set(own.map((type) => (type === "file" ? "string" : type)));
}
