/**
 * The api.ts cache (scripts/generator/emit/api-types-cache.ts): a run whose spec, libraries and api.ts code are those of
 * an earlier run takes api.ts from the cache; anything else renders it again. Proving a hit without timing it: the
 * test rewrites a cached entry's body and sees that body come back. Both ways of rendering are covered (a worker
 * thread with a second core, this thread on one) through ApiTypesJob, and the wiring through generate() and the CLI.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { apiTypesCacheDir, CACHE_DIR } from "../../scripts/generator/caches.ts";
import { apiTypesFile } from "../../scripts/generator/emit/api-types-file.ts";
import { apiTypesKey, entryPath, LIBRARIES, libraryPackageJson, readCachedApiTypes, temporaryName, writeCachedApiTypes } from "../../scripts/generator/emit/api-types-cache.ts";
import { ApiTypesJob } from "../../scripts/generator/emit/api-types-job.ts";
import { generate } from "../../scripts/generator/index.ts";
import { loadSpec, specProblems } from "../../scripts/generator/spec/load.ts";
import { runScript } from "../helpers/cli.ts";
import { ROOT } from "../helpers/corpus.ts";

const WORK = join(ROOT, ".cache", "test-api-types-cache");
const CACHE = join(WORK, "cache");
const SPEC = join(WORK, "openapi", "todo-api.yaml");
const DESCRIPTION = "One todo of the signed-in user.";

beforeEach(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(join(WORK, "openapi"), { recursive: true });
  await cp(join(ROOT, "bridge.yaml"), join(WORK, "bridge.yaml"));
  await cp(join(ROOT, "openapi", "todo-api.yaml"), SPEC);
});

async function entries(): Promise<string[]> {
  return (await readdir(join(CACHE, "api-types")).catch(() => [])).sort();
}

/** An entry as written: its first line (JSON) and the body after it. */
async function readEntry(path: string): Promise<{ head: Record<string, unknown>; body: string }> {
  const text = await readFile(path, "utf8");
  const newline = text.indexOf("\n");
  return { head: JSON.parse(text.slice(0, newline)) as Record<string, unknown>, body: text.slice(newline + 1) };
}

/** Rewrites the one entry's body, as only a cache hit can then return it. */
async function rewriteEntry(body: string): Promise<void> {
  const [name] = await entries();
  const path = join(CACHE, "api-types", name!);
  const { head } = await readEntry(path);
  await writeFile(path, `${JSON.stringify({ ...head, length: body.length })}\n${body}`);
}

describe.each([
  ["in a worker (two cores)", true],
  ["in this thread (one core)", false],
])("api.ts rendered %s", (_, parallel) => {
  async function typesOf(useCache = true): Promise<string> {
    const job = new ApiTypesJob(SPEC, { parallel, cacheDir: useCache ? CACHE : undefined });
    if (!parallel) await job.renderHere(await loadSpec(SPEC));
    return (await job.result()).types.body;
  }

  it("is written to the cache, and a second run with the same spec takes it from there", async () => {
    const rendered = await typesOf();
    expect(rendered).toContain(`@description ${DESCRIPTION}`);
    expect(await entries()).toEqual([`${await apiTypesKey(SPEC, true)}.entry`]);
    await rewriteEntry("// from the cache\n");
    expect(await typesOf()).toBe("// from the cache\n");
  });

  it("is rendered again when the spec changed (a new entry beside the old one)", async () => {
    await typesOf();
    await rewriteEntry("// from the cache\n");
    await writeFile(SPEC, (await readFile(SPEC, "utf8")).replace(DESCRIPTION, "One todo, edited."));
    const types = await typesOf();
    expect(types).toContain("@description One todo, edited.");
    expect(await entries()).toHaveLength(2);
  });

  it("ignores a corrupt entry and writes it again", async () => {
    const rendered = await typesOf();
    const [name] = await entries();
    await writeFile(join(CACHE, "api-types", name!), '{"key": "truncat');
    expect(await typesOf()).toBe(rendered);
    expect(await readEntry(join(CACHE, "api-types", name!))).toEqual({ head: { key: name!.replace(".entry", ""), length: rendered.length }, body: rendered });
  });

  it("ignores an entry shorter than its first line says (a truncated file)", async () => {
    const rendered = await typesOf();
    await rewriteEntry("// from the cache\n");
    const [name] = await entries();
    const path = join(CACHE, "api-types", name!);
    await writeFile(path, (await readFile(path, "utf8")).slice(0, -1));
    expect(await typesOf()).toBe(rendered);
  });

  it("ignores an entry that names another key", async () => {
    const rendered = await typesOf();
    const [name] = await entries();
    await writeFile(join(CACHE, "api-types", name!), `${JSON.stringify({ key: "another", length: 11 })}\n// foreign\n`);
    expect(await typesOf()).toBe(rendered);
  });

  it("is not cached when the cache is off", async () => {
    await typesOf(false);
    expect(await entries()).toEqual([]);
  });

  it("is not cached when the spec references another file, and follows an edit of that file", async () => {
    await referenceTodoFile(DESCRIPTION);
    expect(await typesOf()).toContain(DESCRIPTION);
    expect(await entries()).toEqual([]);
    await referenceTodoFile("One todo, edited in its own file.");
    expect(await typesOf()).toContain("One todo, edited in its own file.");
  });

  it("is cached when `$ref: './other.yaml'` is only text in a description (the parsed refs decide, not the text)", async () => {
    await writeFile(SPEC, (await readFile(SPEC, "utf8")).replace(DESCRIPTION, `"One todo; see $ref: './todo.yaml'."`));
    expect(await typesOf()).toContain("see $ref: './todo.yaml'");
    expect(await entries()).toHaveLength(1);
  });
});

/** Moves the spec's Todo schema to openapi/todo.yaml, described so, and references it from the spec. */
async function referenceTodoFile(description: string): Promise<void> {
  await writeFile(join(WORK, "openapi", "todo.yaml"), `Todo:\n  type: object\n  description: ${description}\n  properties:\n    id: { type: string }\n`);
  const spec = await readFile(SPEC, "utf8");
  if (!spec.includes("./todo.yaml")) await writeFile(SPEC, spec.replace(/\n {4}Todo:\n(?: {6}.*\n)+/, "\n    Todo:\n      $ref: './todo.yaml#/Todo'\n"));
}

describe("the cache's key", () => {
  it("is none for a spec that references other files (loadSpec marks it bundled)", async () => {
    expect((await loadSpec(SPEC)).bundled).toBeUndefined();
    expect(await apiTypesKey(SPEC, true)).toMatch(/^[0-9a-f]{64}$/);
    await referenceTodoFile(DESCRIPTION);
    expect((await loadSpec(SPEC)).bundled).toBe(true);
    expect(await apiTypesKey(SPEC, false)).toBeUndefined();
  });

  it("reads each library's package.json where require.resolve finds it", () => {
    const require = createRequire(import.meta.url);
    for (const name of LIBRARIES) expect(fileURLToPath(libraryPackageJson(name))).toBe(require.resolve(`${name}/package.json`));
  });
});

describe("an entry's temporary file", () => {
  it("is named for the key and this process, and differs from one write to the next", () => {
    const key = "0".repeat(64);
    const names = new Set(Array.from({ length: 1000 }, () => temporaryName(key)));
    expect(names.size).toBe(1000);
    for (const name of names) expect(name).toMatch(new RegExp(`^\\.${key}\\.${process.pid}\\.[0-9a-z]+\\.tmp$`));
  });
});

describe("an entry's bytes", () => {
  it("are its head line and its body in UTF-8, written a slice at a time, a surrogate pair across a slice's end kept whole", async () => {
    // 2^20 code units go into a slice: the pair starts at the first slice's last unit.
    const body = `${"a".repeat((1 << 20) - 1)}\u{1F600}é ${"x".repeat(1 << 20)}\u{1F600}\n`;
    const key = "0".repeat(64);
    await writeCachedApiTypes(CACHE, key, { body, notice: { pointer: "#", message: "ü" } });
    const head = { key, length: body.length, notice: { pointer: "#", message: "ü" } };
    expect((await readFile(entryPath(CACHE, key))).equals(Buffer.from(`${JSON.stringify(head)}\n${body}`, "utf8"))).toBe(true);
    expect(await readCachedApiTypes(CACHE, key)).toEqual({ body, notice: head.notice });
    await writeCachedApiTypes(CACHE, key, { body: "" });
    expect(await readCachedApiTypes(CACHE, key)).toEqual({ body: "" });
  });
});

describe("the spec's validation in the api.ts worker (two cores)", () => {
  it("is done there after rendering: its problems are the ones this thread would find", async () => {
    const spec = await readFile(SPEC, "utf8");
    await writeFile(SPEC, spec.replace(/^openapi: .*$/m, "$&\nx-unknown-top: 1\nbogus: true"));
    const outcome = await new ApiTypesJob(SPEC, { parallel: true }).result();
    expect(outcome.types.body).toContain("export interface paths");
    const here = await specProblems(await loadSpec(SPEC));
    expect(here.length).toBeGreaterThan(0);
    expect(outcome.problems).toEqual(here);
  });

  it("finds nothing wrong with a valid spec, whether api.ts was rendered or taken from the cache", async () => {
    expect((await new ApiTypesJob(SPEC, { parallel: true, cacheDir: CACHE }).result()).problems).toEqual([]);
    expect(await entries()).toHaveLength(1);
    expect((await new ApiTypesJob(SPEC, { parallel: true, cacheDir: CACHE }).result()).problems).toEqual([]);
  });

  it("finds an invalid spec's problems when api.ts comes from the cache too", async () => {
    const spec = await readFile(SPEC, "utf8");
    await writeFile(SPEC, spec.replace(/^openapi: .*$/m, "$&\nbogus: true"));
    // An entry for the changed spec's key, so that this run is a hit (its body proves it).
    const key = (await apiTypesKey(SPEC, true))!;
    await mkdir(join(CACHE, "api-types"), { recursive: true });
    await writeFile(entryPath(CACHE, key), `${JSON.stringify({ key, length: 6 })}\nCACHED`);
    const outcome = await new ApiTypesJob(SPEC, { parallel: true, cacheDir: CACHE }).result();
    expect(outcome.types.body).toBe("CACHED");
    expect(outcome.problems).toEqual(await specProblems(await loadSpec(SPEC)));
    expect(outcome.problems!.length).toBeGreaterThan(0);
  });

  it("an invalid spec fails generate() with the same error on two cores as on one", async () => {
    const spec = await readFile(SPEC, "utf8");
    await writeFile(SPEC, spec.replace(/^openapi: .*$/m, "$&\nbogus: true"));
    const errorOf = (promise: Promise<unknown>) => promise.then(() => "no error", (error: Error) => error.message);
    const viaWorker = await errorOf(generate({ configPath: join(WORK, "bridge.yaml"), outDir: join(WORK, "generated") }));
    expect(viaWorker).toMatch(/: invalid API description\n  #/);
    const here = await specProblems(await loadSpec(SPEC));
    expect(viaWorker.split("\n").slice(1)).toEqual(here.map((problem) => `  ${problem}`));
  });
});

describe("api.ts cache through generate() and the CLI", () => {
  it("generate() with a cacheDir serves the cached body under a header naming the spec", async () => {
    const first = await generate({ configPath: join(WORK, "bridge.yaml"), outDir: join(WORK, "generated"), cacheDir: CACHE });
    const apiTs = first.files.find((f) => f.name === "api.ts")!.content;
    expect(apiTs).toContain(DESCRIPTION);
    await rewriteEntry("// from the cache\n");
    const second = await generate({ configPath: join(WORK, "bridge.yaml"), outDir: join(WORK, "generated"), cacheDir: CACHE });
    expect(second.files.find((f) => f.name === "api.ts")!.content).toBe(apiTypesFile({ body: "// from the cache\n" }, "openapi/todo-api.yaml"));
    expect(apiTs.startsWith(apiTypesFile({ body: "" }, "openapi/todo-api.yaml"))).toBe(true);
    // bridge.schema.json is kept in the same folder, and only there.
    const schemaEntries = await readdir(join(CACHE, "bridge-schema"));
    expect(schemaEntries).toHaveLength(1);
    expect(await readFile(join(CACHE, "bridge-schema", schemaEntries[0]!), "utf8")).toBe(second.files.find((f) => f.name === "bridge.schema.json")!.content);
  });

  it("does not cache a spec that references another file (its own bytes do not say what it contains)", async () => {
    await writeFile(join(WORK, "openapi", "todo.yaml"), `Todo:\n  type: object\n  description: ${DESCRIPTION}\n  properties:\n    id: { type: string }\n`);
    const spec = (await readFile(SPEC, "utf8")).replace(/\n {4}Todo:\n(?: {6}.*\n)+/, "\n    Todo:\n      $ref: './todo.yaml#/Todo'\n");
    await writeFile(SPEC, spec);
    const result = await generate({ configPath: join(WORK, "bridge.yaml"), outDir: join(WORK, "generated"), cacheDir: CACHE });
    expect(result.files.find((f) => f.name === "api.ts")!.content).toContain(DESCRIPTION);
    expect(await entries()).toEqual([]);
  });

  it("--no-cache and MCP_BRIDGE_NO_CACHE turn it off; the CLI uses node_modules/.cache/mcp-bridge/ otherwise", async () => {
    expect(apiTypesCacheDir(true, {})).toBeUndefined();
    expect(apiTypesCacheDir(false, { MCP_BRIDGE_NO_CACHE: "1" })).toBeUndefined();
    expect(apiTypesCacheDir(false, { MCP_BRIDGE_NO_CACHE: "0" })).toBe(CACHE_DIR);
    expect(apiTypesCacheDir(false, {})).toBe(join(ROOT, "node_modules", ".cache", "mcp-bridge/"));

    // A spec no other run has: its entry in the CLI's cache exists only if the CLI wrote it.
    await writeFile(SPEC, (await readFile(SPEC, "utf8")).replace(DESCRIPTION, `One todo (${process.pid}, ${Date.now()}).`));
    const entry = entryPath(CACHE_DIR, (await apiTypesKey(SPEC, true))!);
    const args = ["--config", join(WORK, "bridge.yaml"), "--out", join(WORK, "generated")];
    try {
      expect((await runScript("generate.ts", [...args, "--no-cache"])).code).toBe(0);
      await expect(readFile(entry)).rejects.toThrow(/ENOENT/);
      expect((await runScript("generate.ts", args)).code).toBe(0);
      expect((await readEntry(entry)).body).toContain(`One todo (${process.pid}`);
    } finally {
      await rm(entry, { force: true });
    }
  });
});
