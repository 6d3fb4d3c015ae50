/**
 * Every corpus spec, generated as a user would: nothing in the spec may be lost or mangled on the way to the tools.
 * What each tool must contain is derived from the raw spec (test/corpus/raw-spec.ts), not from the generator's model,
 * and compared with the generated `tools.ts` as imported. Then the output must typecheck and be reproducible.
 *
 * Failures are collected per corpus and compared with `[]`, so one run lists every problem of a spec.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generator/index.ts";
import type { JsonSchema, ToolDefinition } from "../../src/tools/types.ts";
import { CORPUS_OUT, ROOT } from "../helpers/corpus.ts";
import { CORPORA, corpus, type Corpus } from "./corpora.ts";
import { CORPUS_GROUP, generated, importTools, prefetch, type GeneratedCorpus } from "./generated.ts";
import {
  isIgnoredHeader,
  isObject,
  operationLabel,
  rawBody,
  rawOperations,
  topLevelProperties,
  type Json,
  type RawOperation,
  type RawSpec,
} from "./raw-spec.ts";

const GROUP = CORPUS_GROUP;
const TOOL_NAME = /^[a-z0-9_]{1,64}$/;
const INPUT_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

const timings: string[] = [];
/** What was checked, for the summary (a suite that checks nothing passes too). */
const counts = { corpora: 0, operations: 0, tools: 0, skipped: 0, parameters: 0, bodyProperties: 0 };

beforeAll(() => prefetch(GROUP, CORPORA));

afterAll(() => {
  const summary = Object.entries(counts).map(([what, n]) => `${what} ${n}`).join(", ");
  console.log(`corpus coverage: ${summary}\n  ${timings.join("\n  ")}`);
});

describe.each(CORPORA)("corpus $name", (corpus) => {
  let g: GeneratedCorpus;
  let tools: readonly ToolDefinition[];
  let operations: RawOperation[];
  /** Tool per operation label; undefined when the operation was skipped. */
  const toolOf = (op: RawOperation): ToolDefinition | undefined => tools.find((t) => t.operationId === operationLabel(op));

  beforeAll(async () => {
    g = await generated(GROUP, corpus);
    tools = await importTools(g.dir);
    operations = rawOperations(g.raw).filter((op) => !corpus.excluded?.includes(operationLabel(op)));
    if (corpus.size === "large") timings.push(`generate ${corpus.name}: ${Math.round(g.ms)} ms`);
    counts.corpora++;
    counts.operations += operations.length;
    counts.tools += tools.length;
    counts.skipped += g.result.model.skipped.length;
  });

  it("turns every operation of the spec into exactly one tool or one reported skip", () => {
    const problems: string[] = [];
    const skipped = g.result.model.skipped;
    for (const op of operations) {
      const label = operationLabel(op);
      const asTools = tools.filter((t) => t.operationId === label);
      const asSkips = skipped.filter((s) => s.operation === label);
      if (asTools.length + asSkips.length !== 1) {
        problems.push(`${label}: ${asTools.length} tool(s) and ${asSkips.length} skip(s)`);
        continue;
      }
      const [tool] = asTools;
      if (tool && tool.http.method !== op.method) problems.push(`${label}: tool sends ${tool.http.method}`);
      const [skip] = asSkips;
      if (skip && skip.reason.trim() === "") problems.push(`${label}: skipped without a reason`);
      if (skip && skip.pointer !== op.pointer) problems.push(`${label}: skip points at ${skip.pointer}, not ${op.pointer}`);
    }
    // Nothing the spec does not have.
    if (tools.length + skipped.length !== operations.length) {
      problems.push(`${operations.length} operations, but ${tools.length} tools + ${skipped.length} skips`);
    }
    expect(problems).toEqual([]);
    // Guards the raw reader itself: only the webhooks example has no paths.
    if (!corpus.name.endsWith("webhooks")) expect(rawOperations(g.raw).length).toBeGreaterThan(0);
  });

  it("names tools uniquely, matching ^[a-z0-9_]{1,64}$", () => {
    const names = tools.map((t) => t.name);
    expect(names.filter((name) => !TOOL_NAME.test(name))).toEqual([]);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("keys every input property ^[A-Za-z0-9_.-]{1,64}$, each bound to exactly one place in the request", () => {
    const problems: string[] = [];
    for (const tool of tools) {
      const keys = Object.keys(properties(tool.inputSchema));
      for (const key of keys) if (!INPUT_KEY.test(key)) problems.push(`${tool.name}: input key ${JSON.stringify(key)}`);
      const bound = boundKeys(tool);
      const twice = bound.filter((key, i) => bound.indexOf(key) !== i);
      if (twice.length > 0) problems.push(`${tool.name}: keys bound twice: ${twice.join(", ")}`);
      const unbound = keys.filter((key) => !bound.includes(key));
      if (unbound.length > 0) problems.push(`${tool.name}: input keys sent nowhere: ${unbound.join(", ")}`);
      const unlisted = bound.filter((key) => !keys.includes(key));
      if (unlisted.length > 0) problems.push(`${tool.name}: bound keys missing from inputSchema: ${unlisted.join(", ")}`);
    }
    expect(problems).toEqual([]);
  });

  it("keeps every parameter: each one bound by name + in, with its style, explode and requiredness", () => {
    const problems: string[] = [];
    for (const op of operations) {
      const tool = toolOf(op);
      if (!tool) continue;
      const label = `${tool.name} (${op.method} ${op.path})`;
      const required = requiredKeys(tool.inputSchema);
      const expected = op.parameters.filter((p) => !isIgnoredHeader(p));
      for (const parameter of expected) {
        counts.parameters++;
        const binding = tool.http.parameters.find((b) => b.name === parameter.name && b.in === parameter.in);
        if (!binding) {
          problems.push(`${label}: ${parameter.in} parameter ${parameter.name} is lost`);
          continue;
        }
        const want = { style: parameter.style, explode: parameter.explode, json: parameter.json };
        const got = { style: binding.style, explode: binding.explode, json: binding.json === true };
        if (JSON.stringify(want) !== JSON.stringify(got)) {
          problems.push(`${label}: ${parameter.in} ${parameter.name} bound as ${JSON.stringify(got)}, spec says ${JSON.stringify(want)}`);
        }
        if (parameter.required && !required.includes(binding.key)) problems.push(`${label}: required ${parameter.in} ${parameter.name} is optional`);
        if (!parameter.required && required.includes(binding.key)) problems.push(`${label}: optional ${parameter.in} ${parameter.name} is required`);
      }
      // Nothing invented: a binding the spec has no parameter for is only allowed for a path template variable.
      const templateVariables = [...op.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
      for (const binding of tool.http.parameters) {
        const known = expected.some((p) => p.name === binding.name && p.in === binding.in);
        const templated = binding.in === "path" && templateVariables.includes(binding.name);
        if (!known && !templated) problems.push(`${label}: binds ${binding.in} ${binding.name}, which the spec does not have`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps every top-level request body property, flattened or under the body key", () => {
    const problems: string[] = [];
    for (const op of operations) {
      const tool = toolOf(op);
      if (!tool) continue;
      problems.push(...bodyProblems(g.raw, op, tool));
    }
    expect(problems).toEqual([]);
  });
});

function bodyProblems(raw: RawSpec, op: RawOperation, tool: ToolDefinition): string[] {
  const label = `${tool.name} (${op.method} ${op.path})`;
  const body = rawBody(raw, op);
  const binding = tool.http.body;
  if (!body) return binding ? [`${label}: has a body the spec does not define`] : [];
  if (!binding) return [`${label}: the request body is lost`];
  const problems: string[] = [];
  if (body.required && !binding.required) problems.push(`${label}: the required body is optional`);

  // The media type sent must be one the spec lists (a wildcard is sent as application/octet-stream).
  let media: Json | undefined;
  if (body.formData) {
    const hasFile = body.formData.some((p) => p["type"] === "file");
    const allowed = hasFile ? ["multipart/form-data"] : ["multipart/form-data", "application/x-www-form-urlencoded"];
    if (!allowed.includes(binding.contentType)) problems.push(`${label}: formData sent as ${binding.contentType}`);
    media = Object.values(body.content)[0];
  } else {
    const listed = Object.keys(body.content).find((type) => type === binding.contentType);
    const wildcard = Object.keys(body.content).find((type) => type.includes("*"));
    media = body.content[listed ?? (binding.contentType === "application/octet-stream" ? (wildcard ?? "") : "")];
    if (!media) problems.push(`${label}: sends ${binding.contentType}, not one of ${Object.keys(body.content).join(", ")}`);
  }
  // A binary or text body is one string argument: its schema's properties are not arguments.
  if (!media || binding.encoding === "binary" || binding.encoding === "text") return problems;

  const expected = topLevelProperties(raw.doc, media["schema"]);
  counts.bodyProperties += expected.length;
  if ("spread" in binding.from) {
    const spread = binding.from.spread;
    const required = requiredKeys(tool.inputSchema);
    for (const property of expected) {
      const entry = spread.find((s) => s.name === property.name);
      if (!entry) problems.push(`${label}: body property ${property.name} is lost (not among the flattened keys)`);
      else if (body.required && property.required && !required.includes(entry.key)) {
        problems.push(`${label}: required body property ${property.name} is optional`);
      }
    }
  } else {
    const key = binding.from.key;
    const bodySchema = properties(tool.inputSchema)[key];
    const names = propertyNames(tool.inputSchema, bodySchema);
    for (const property of expected) {
      if (!names.has(property.name)) problems.push(`${label}: body property ${property.name} is missing under "${key}"`);
    }
    if (body.required && !requiredKeys(tool.inputSchema).includes(key)) problems.push(`${label}: the required body "${key}" is optional`);
  }
  return problems;
}

function properties(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  return (isObject(schema?.["properties"]) ? schema["properties"] : {}) as Record<string, JsonSchema>;
}

function requiredKeys(schema: JsonSchema): string[] {
  return Array.isArray(schema["required"]) ? (schema["required"] as string[]) : [];
}

/** Every input key the HTTP binding reads. */
function boundKeys(tool: ToolDefinition): string[] {
  const keys = tool.http.parameters.map((p) => p.key);
  const from = tool.http.body?.from;
  if (from) keys.push(...("spread" in from ? from.spread.map((s) => s.key) : [from.key]));
  return keys;
}

/** Property names a listed schema defines at its top level, through `$ref`s into the root's `$defs` and compositions. */
function propertyNames(root: JsonSchema, schema: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    if (typeof node["$ref"] === "string" && node["$ref"].startsWith("#/$defs/")) {
      visit((root["$defs"] as Json | undefined)?.[node["$ref"].slice("#/$defs/".length)]);
    }
    for (const name of Object.keys(properties(node))) names.add(name);
    for (const keyword of ["allOf", "oneOf", "anyOf"]) {
      if (Array.isArray(node[keyword])) for (const member of node[keyword]) visit(member);
    }
  };
  visit(schema);
  return names;
}

describe("deterministic output", () => {
  // A recursive spec, a plain one, a YAML one, and the large one.
  it.each(["3.0-schema-circular", "3.0-circular", "3.0-petstore", "figma", "github"])(
    "%s: generating the same spec twice gives byte-identical files",
    async (name) => {
      const first = await generated(GROUP, corpus(name));
      const second = await generate({ configPath: join(first.dir, "bridge.yaml"), outDir: first.dir });
      expect(second.files.map((f) => f.name)).toEqual(first.result.files.map((f) => f.name));
      for (const [i, file] of second.files.entries()) {
        // Not toEqual on the whole text: a multi-megabyte diff helps nobody; the first differing line does.
        const before = first.result.files[i]!.content;
        if (file.content !== before) {
          const a = before.split("\n");
          const b = file.content.split("\n");
          const line = a.findIndex((text, n) => text !== b[n]);
          expect.fail(`${file.name} differs at line ${line + 1}:\n- ${a[line]}\n+ ${b[line]}`);
        }
      }
    },
  );
});

describe("generated output typechecks", () => {
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const run = promisify(execFile);
  const FILES = ["tools.ts", "policy.ts", "config.ts", "api.ts"];

  /** A tsconfig beside the output (so `tsc -p <dir>` works by hand too), extending the repository's. */
  async function writeTsconfig(g: GeneratedCorpus): Promise<void> {
    const config = { extends: relative(g.dir, join(ROOT, "tsconfig.json")), include: FILES };
    await writeFile(join(g.dir, "tsconfig.json"), `${JSON.stringify(config, null, 2)}\n`);
  }

  async function typecheck(project: string, label: string): Promise<void> {
    const start = performance.now();
    const outcome = await run(tsc, ["--noEmit", "-p", project], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
      () => "",
      (error: { stdout?: string; stderr?: string; message: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}` || error.message,
    );
    timings.push(`tsc ${label}: ${Math.round(performance.now() - start)} ms`);
    expect(outcome).toBe("");
  }

  const byName = (size: Corpus["size"]): Corpus[] => CORPORA.filter((c) => c.size === size);

  it(`all ${byName("small").length} small corpora, in one tsc run`, async () => {
    const outputs: GeneratedCorpus[] = [];
    for (const c of byName("small")) outputs.push(await generated(GROUP, c)); // one at a time: each starts a worker
    await Promise.all(outputs.map(writeTsconfig));
    const project = join(CORPUS_OUT, GROUP, "tsconfig.small.json");
    const include = outputs.flatMap((g) => FILES.map((file) => `${relative(join(CORPUS_OUT, GROUP), g.dir)}/${file}`));
    const config = { extends: relative(join(CORPUS_OUT, GROUP), join(ROOT, "tsconfig.json")), include };
    await writeFile(project, `${JSON.stringify(config, null, 2)}\n`);
    await typecheck(project, `${outputs.length} small corpora`);
  });

  it.each(byName("large").map((c) => c.name))("%s, in its own tsc run", async (name) => {
    const g = await generated(GROUP, corpus(name));
    await writeTsconfig(g);
    await typecheck(join(g.dir, "tsconfig.json"), name);
  });
});
