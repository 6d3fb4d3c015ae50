/**
 * swagger-parser and json-schema-ref-parser in the start-up bundle (eager-bundle.mjs, spec/swagger-parser-bundled.ts):
 * the same specs read and validated by spec/load.ts give the same documents and problems bundled as unbundled, and in
 * both the three substitutions of package-substitutes.mjs are made (swagger-parser's meta-schema validator loaded on
 * first call, json-schema-ref-parser's dereference and its url.js' `resolve` ours), in real Node processes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BUNDLER = new URL("../../../scripts/generator/eager-bundle.mjs", import.meta.url).href;
const LOAD = fileURLToPath(new URL("../../../scripts/generator/spec/load.ts", import.meta.url));
const SWAGGER_PARSER = fileURLToPath(new URL("../../../scripts/generator/spec/swagger-parser.ts", import.meta.url));
const REAL_SCHEMA_VALIDATOR = createRequire(import.meta.url).resolve("@apidevtools/swagger-parser/lib/validators/schema.js");

const pet = { type: "object", required: ["name"], properties: { name: { type: "string" }, parent: { $ref: "#/definitions/Pet" } } };
const SPECS: Record<string, unknown> = {
  // Shared and circular definitions: the 2.0 dereference (ours) and the semantic checks run on it.
  "2.0-valid": {
    swagger: "2.0", info: { title: "t", version: "1" }, paths: {
      "/pets/{id}": { get: { parameters: [{ name: "id", in: "path", required: true, type: "string" }], responses: { 200: { description: "ok", schema: { $ref: "#/definitions/Pet" } } } } },
      "/pets": { post: { parameters: [{ name: "body", in: "body", schema: { $ref: "#/definitions/Pet" } }], responses: { 201: { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } } } } },
    },
    definitions: { Pet: pet },
  },
  // A path parameter the path does not have: swagger-parser's semantic checks.
  "2.0-invalid": { swagger: "2.0", info: { title: "t", version: "1" }, paths: { "/pets": { get: { parameters: [{ name: "id", in: "path", required: true, type: "string" }], responses: { 200: { description: "ok" } } } } } },
  "3.0-valid": { openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/pets": { get: { responses: { 200: { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } } } } } } }, components: { schemas: { Pet: { ...pet, properties: { name: { type: "string" }, parent: { $ref: "#/components/schemas/Pet" } } } } } },
  "3.0-invalid": { openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/pets": { get: { responses: { 200: { description: 7 } } } } } },
  "3.1-valid": { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/pets": { get: { responses: { 200: { description: "ok", content: { "application/json": { schema: { type: ["string", "null"] } } } } } } } } },
  "3.1-invalid": { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/pets": { get: { parameters: [{ name: "q" }], responses: { 200: { description: "ok" } } } } } },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swagger-parser-bundle-"));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }');
  for (const [name, spec] of Object.entries(SPECS)) await writeFile(join(dir, `${name}.json`), JSON.stringify(spec));
  // The probe: what load.ts makes of each spec, then whether each substitution is in place (see the module comment).
  await writeFile(
    join(dir, "probe.ts"),
    `import { createRequire } from "node:module";\n` +
      `import { loadSpec, specProblems } from ${JSON.stringify(LOAD)};\n` +
      `import { SwaggerParser } from ${JSON.stringify(SWAGGER_PARSER)};\n` +
      `export const where = new Error().stack!.split("\\n")[1]!.includes("/cache/") ? "bundle" : import.meta.url;\n` +
      `const realValidator = ${JSON.stringify(REAL_SCHEMA_VALIDATOR)};\n` +
      `const loaded = (): boolean => createRequire(import.meta.url).cache[realValidator] !== undefined;\n` +
      `export async function result(): Promise<Record<string, unknown>> {\n` +
      `  const specs: Record<string, unknown> = {};\n` +
      `  for (const name of ${JSON.stringify(Object.keys(SPECS))}) {\n` +
      `    const spec = await loadSpec(new URL(\`./\${name}.json\`, import.meta.url).pathname);\n` +
      `    const problems = await specProblems(spec);\n` +
      `    specs[name] = { version: spec.version, problems, document: JSON.stringify(spec.document) };\n` +
      `  }\n` +
      `  const validatorAtStart = loaded();\n` +
      `  let dereferenceAsked = false;\n` +
      `  const excludesNothing = Object.defineProperty(() => false, Symbol.for("mcp-identity-bridge.dereference.excludesNothing"), { get: () => (dereferenceAsked = true) });\n` +
      `  const document = JSON.parse(${JSON.stringify(JSON.stringify(SPECS["2.0-valid"]))});\n` +
      `  await SwaggerParser.validate(document, { dereference: { circular: "ignore", excludedPathMatcher: excludesNothing }, validate: { schema: true, spec: false } } as never);\n` +
      // Which resolve $Refs calls: ours asks the reference for its first "#", the library first converts it to posix.
      `  const parser = new (SwaggerParser as any)();\n` +
      `  await parser.parse(document);\n` +
      `  const reference = { indexOf() { throw new Error("ours"); }, startsWith() { throw new Error("library's"); } };\n` +
      `  let urlResolve = "";\n` +
      `  try { parser.$refs.get(reference); } catch (error) { urlResolve = (error as Error).message; }\n` +
      `  return { specs, validatorAtStart, validatorAfterSchemaValidation: loaded(), ourDereference: dereferenceAsked, urlResolve };\n` +
      `}\n`,
  );
  const body = (load: string): string =>
    `const { importBundled } = await import(${JSON.stringify(BUNDLER)});\n` +
    `const entry = new URL("./probe.ts", import.meta.url).href;\n` +
    `const m = await ${load};\nconsole.log(JSON.stringify({ ...(await m.result()), bundled: m.where !== entry }));\n`;
  await writeFile(join(dir, "bundled.mjs"), body(`importBundled(entry, ${JSON.stringify(join(dir, "cache"))})`));
  await writeFile(join(dir, "plain.mjs"), body("import(entry)"));
  // A bundle whose sources changed within a second of its build is not kept (eager-bundle.mjs).
  const past = new Date(Date.now() - 10_000);
  await utimes(join(dir, "probe.ts"), past, past);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function node(entry: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [entry], { cwd: dir, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", MCP_BRIDGE_NO_BUNDLE: "" } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("swagger-parser in the start-up bundle", () => {
  it("reads and validates as the packages loaded by themselves do, with the same three substitutions", async () => {
    const plain = await node("plain.mjs");
    const substituted = { validatorAtStart: false, validatorAfterSchemaValidation: true, ourDereference: true, urlResolve: "ours" };
    expect(plain).toMatchObject({ ...substituted, bundled: false });
    const specs = plain["specs"] as Record<string, { version: string; problems: string[] }>;
    expect(Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, [spec.version, spec.problems.length > 0]]))).toEqual({
      "2.0-valid": ["2.0", false], "2.0-invalid": ["2.0", true], "3.0-valid": ["3.0", false], "3.0-invalid": ["3.0", true], "3.1-valid": ["3.1", false], "3.1-invalid": ["3.1", true],
    });
    expect(await node("bundled.mjs")).toEqual({ ...plain, bundled: true });

    // Neither the meta-schema validator nor ajv is in the bundle: loaded on first call, from the package.
    const manifest = JSON.parse(await readFile(join(dir, "cache", "probe.json"), "utf8")) as { files: [string][] };
    const files = manifest.files.map(([path]) => path);
    expect(files).toContain(REAL_SCHEMA_VALIDATOR.replace(/validators\/schema\.js$/, "index.js"));
    expect(files.filter((path) => path === REAL_SCHEMA_VALIDATOR || path.includes("/node_modules/ajv"))).toEqual([]);
  });
});
