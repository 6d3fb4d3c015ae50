/**
 * The CLI's start-up modules from one pre-built file (scripts/generator/eager-bundle.mjs), in real Node processes: a
 * small module graph gives the same output bundled as not (relative paths through import.meta.url, a lazy import()
 * left to run time), the bundle is built once and reused, built again after a source edit or a package's new install,
 * and a broken cache (a
 * truncated bundle, a manifest that does not parse) is replaced or, when it cannot be, the modules load unbundled. An
 * bundle runs as a script with a V8 code cache: written after a run that had none, used by the next, and written again
 * when V8 refuses it or the bundle is built again.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdir } from "node:fs/promises";
import { scriptForm, withOwnImportMeta } from "../../scripts/generator/eager-bundle.mjs";

const run = promisify(execFile);
const BUNDLER = new URL("../../scripts/generator/eager-bundle.mjs", import.meta.url).href;

let dir: string;
let cache: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eager-bundle-"));
  cache = join(dir, "cache");
  await mkdir(join(dir, "lib"));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }');
  await writeFile(join(dir, "lib", "data.txt"), "read through import.meta.url");
  await writeFile(join(dir, "lib", "later.ts"), 'export const later: string = "loaded at run time";\n');
  await installPackage("v1");
  await writeModule(1);
  // Prints what main.ts computed, then whether it ran from the bundle (its import.meta.url says where it ran).
  const body = (load: string): string =>
    `const { importBundled } = await import(${JSON.stringify(BUNDLER)});\n` +
    `const entry = new URL("./main.ts", import.meta.url).href;\n` +
    `const m = await ${load};\nconsole.log(JSON.stringify({ ...(await m.result()), bundled: m.where !== entry }));\n`;
  await writeFile(join(dir, "bundled.mjs"), body(`importBundled(entry, ${JSON.stringify(cache)})`));
  await writeFile(join(dir, "plain.mjs"), body("import(entry)"));
  await settle();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeModule(value: number): Promise<void> {
  const main =
    `import { readFileSync } from "node:fs";\nimport { value } from "./lib/value.ts";\nimport { version } from "some-package";\n` +
    `export const where = new Error().stack!.split("\\n")[1]!.includes("/cache/") ? "bundle" : import.meta.url;\n` +
    `export async function result(): Promise<Record<string, unknown>> {\n` +
    `  const text = readFileSync(new URL("./lib/data.txt", import.meta.url), "utf8");\n` +
    `  const { later } = await import("./lib/later.ts");\n  return { value, text, later, version };\n}\n`;
  await writeFile(join(dir, "main.ts"), main);
  await writeFile(join(dir, "lib", "value.ts"), `export const value: number = ${value};\n`);
}

/** A package whose file keeps one mtime from version to version, as an npm tarball's files do. */
async function installPackage(version: string): Promise<void> {
  const folder = join(dir, "node_modules", "some-package");
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "package.json"), '{ "name": "some-package", "type": "module", "main": "index.js" }');
  await writeFile(join(folder, "index.js"), `export const version = "${version}";\n`);
  const tarball = new Date("1985-10-26T08:15:00Z");
  await utimes(join(folder, "index.js"), tarball, tarball);
}

/**
 * Sets the sources' mtimes back: a bundle whose sources changed within a second of its build is not kept (one may
 * have changed while esbuild read it).
 */
async function settle(files = ["main.ts", "lib/value.ts", "lib/later.ts", "node_modules/some-package"]): Promise<void> {
  const past = new Date(Date.now() - 10_000);
  for (const file of files) await utimes(join(dir, file), past, past);
}

async function node(entry: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [entry], { cwd: dir, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", MCP_BRIDGE_NO_BUNDLE: "", ...env } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("importBundled", () => {
  it("gives what the modules give, from a bundle built once and rebuilt when a source changes", async () => {
    const plain = await node("plain.mjs");
    expect(plain).toEqual({ value: 1, text: "read through import.meta.url", later: "loaded at run time", version: "v1", bundled: false });
    expect(await node("bundled.mjs")).toEqual({ ...plain, bundled: true });
    const bundle = join(cache, "main.mjs");
    const code = await readFile(bundle, "utf8");
    // The lazy import stays out of the bundle, by absolute URL.
    expect(code).not.toContain("loaded at run time");
    expect(code).toContain(`import(${JSON.stringify(new URL(`file://${join(dir, "lib", "later.ts")}`).href)})`);
    // A built-in comes from Node's own object, not an ES module facade, and only the export the code uses is read.
    expect(code).not.toMatch(/^import .* from "node:fs";$/m);
    expect(code).toContain('process.getBuiltinModule("node:fs")');
    expect(code).toMatch(/\.readFileSync\)\(\)/);
    expect(code).not.toMatch(/\.promises\)\(\)/);

    // The next run uses the kept bundle, run from its script form (edited here to tell the two apart).
    const script = join(cache, "main.script.js");
    const scriptCode = await readFile(script, "utf8");
    expect(scriptCode).toMatch(/\bvalue = 1;/);
    await writeFile(script, scriptCode.replace(/\bvalue = 1;/, "value = 7;"));
    const size = (await stat(script)).size;
    const manifest = join(cache, "main.json");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace(/"script":\{"size":\d+/, `"script":{"size":${size}`));
    // Its code cache goes too: V8 checks a cache against its source's length only (a build names it for its script).
    for (const file of await readdir(cache)) if (file.endsWith(".v8cache")) await rm(join(cache, file));
    expect(await node("bundled.mjs")).toEqual({ ...plain, value: 7, bundled: true });

    // A source edit rebuilds the bundle (the size of value.ts is the same: its mtime tells).
    await writeModule(2);
    await settle();
    expect(await node("bundled.mjs")).toEqual({ ...plain, value: 2, bundled: true });
    // So does a package installed again, its file the same size and mtime (its folder is new).
    await installPackage("v2");
    await settle(["node_modules/some-package"]);
    expect(await node("bundled.mjs")).toEqual({ ...plain, value: 2, version: "v2", bundled: true });
  });

  it("rebuilds a broken bundle, and loads the modules themselves when told to or when it cannot build", async () => {
    await writeFile(join(cache, "main.mjs"), "export const where = ");
    expect(await node("bundled.mjs")).toMatchObject({ value: 2, bundled: true });
    await writeFile(join(cache, "main.json"), "{ not json");
    expect(await node("bundled.mjs")).toMatchObject({ value: 2, bundled: true });
    expect(await node("bundled.mjs", { MCP_BRIDGE_NO_BUNDLE: "1" })).toMatchObject({ value: 2, bundled: false });
    expect(await node("bundled.mjs", { NODE_DISABLE_COMPILE_CACHE: "1" })).toMatchObject({ value: 2, bundled: false });
    // A cache folder that cannot be created (a file in its place): the modules load unbundled.
    await rm(cache, { recursive: true });
    await writeFile(cache, "");
    expect(await node("bundled.mjs")).toMatchObject({ value: 2, bundled: false });
    await rm(cache);
  });
  it("builds again for the same entry name in another tree (a node_modules copied with its cache)", async () => {
    expect(await node("bundled.mjs")).toMatchObject({ value: 2, bundled: true });
    const other = join(dir, "other");
    await mkdir(other);
    await writeFile(join(other, "main.ts"), 'export const where = "other";\nexport async function result(): Promise<Record<string, unknown>> {\n  return { tree: "other" };\n}\n');
    await writeFile(join(other, "bundled.mjs"), await readFile(join(dir, "bundled.mjs"), "utf8"));
    await settle(["other/main.ts"]);
    expect(await node(join(other, "bundled.mjs"))).toEqual({ tree: "other", bundled: true });
    expect(await node("bundled.mjs")).toMatchObject({ value: 2, bundled: true });
  });
});

describe("importBundled's code cache", () => {
  // A CommonJS package (required through the bundle's require), a lazy import(), top-level await, and a flag turned on
  // during the run (--expose-gc, as a caller may turn it on): it prints what it computed.
  let tree: string;
  let caches: string;
  beforeAll(async () => {
    tree = join(dir, "script-tree");
    caches = join(tree, "cache");
    await mkdir(join(tree, "node_modules", "cjs-package"), { recursive: true });
    await writeFile(join(tree, "package.json"), '{ "type": "module" }');
    await writeFile(join(tree, "node_modules", "cjs-package", "package.json"), '{ "name": "cjs-package", "main": "index.js" }');
    await writeFile(join(tree, "node_modules", "cjs-package", "index.js"), 'exports.kind = require("node:path").sep === "/" ? "cjs" : "?";\n');
    await writeFile(join(tree, "later.ts"), 'export const later: string = "loaded at run time";\n');
    await writeScriptEntry("first");
    await writeFile(join(tree, "run.mjs"), `const { importBundled } = await import(${JSON.stringify(BUNDLER)});\nawait importBundled(new URL("./entry.ts", import.meta.url).href, ${JSON.stringify(caches)});\n`);
    await writeFile(join(tree, "plain.mjs"), 'await import("./entry.ts");\n');
  });

  async function writeScriptEntry(label: string): Promise<void> {
    const entry =
      `import { kind } from "cjs-package";\n` +
      `const bundled = new Error().stack!.split("\\n")[1]!.includes("/cache/");\n` +
      `const { later } = await import("./later.ts");\n` +
      `function square(n: number): number {\n  return n * n;\n}\n` +
      `process.getBuiltinModule("node:v8").setFlagsFromString("--expose-gc");\n` +
      `if (process.env["FAIL"]) process.exitCode = 3;\n` +
      `console.log(JSON.stringify({ label: ${JSON.stringify(label)}, kind, later, square: square(7), bundled }));\n`;
    await writeFile(join(tree, "entry.ts"), entry);
    await settleTree();
  }

  async function settleTree(): Promise<void> {
    const past = new Date(Date.now() - 10_000);
    for (const file of ["entry.ts", "later.ts", "node_modules/cjs-package/index.js", "node_modules/cjs-package"]) await utimes(join(tree, file), past, past);
  }

  async function runIn(entry: string, env: Record<string, string> = {}): Promise<{ out: Record<string, unknown>; stderr: string }> {
    const options = { cwd: tree, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", MCP_BRIDGE_NO_BUNDLE: "", FAIL: "", ...env } };
    const { stdout, stderr } = await run(process.execPath, [entry], options).catch((error: { stdout: string; stderr: string }) => error);
    return { out: JSON.parse(stdout) as Record<string, unknown>, stderr };
  }

  async function codeCaches(): Promise<string[]> {
    return (await readdir(caches)).filter((file) => file.endsWith(".v8cache"));
  }

  async function mtimeOf(file: string): Promise<number> {
    return (await stat(join(caches, file))).mtimeMs;
  }

  it("runs from the script, writes its code cache after the first run, and uses it in the next", async () => {
    const plain = await runIn("plain.mjs");
    expect(plain.out).toEqual({ label: "first", kind: "cjs", later: "loaded at run time", square: 49, bundled: false });
    const first = await runIn("run.mjs");
    expect(first).toEqual({ out: { ...plain.out, bundled: true }, stderr: "" });
    const script = await readFile(join(caches, "entry.script.js"), "utf8");
    // The lazy import goes through the function the script is given, not the experimental vm loader.
    expect(script).toContain(`importFromBundle(${JSON.stringify(new URL(`file://${join(tree, "later.ts")}`).href)})`);
    const [cache] = await codeCaches();
    expect(cache).toMatch(/^entry\.[0-9a-f]{16}\.v8cache$/);
    const written = await mtimeOf(cache!);

    // Accepted by the next run (made with --expose-gc turned back off): not written again.
    await new Promise((done) => setTimeout(done, 20));
    expect(await runIn("run.mjs")).toEqual(first);
    expect(await mtimeOf(cache!)).toBe(written);
  });

  it("writes again a cache V8 refuses, not after a failed run; a new build's cache replaces the old one", async () => {
    const [cache] = await codeCaches();
    await writeFile(join(caches, cache!), "not a code cache");
    const failed = await runIn("run.mjs", { FAIL: "1" });
    expect(failed.out).toMatchObject({ label: "first", bundled: true });
    expect(await readFile(join(caches, cache!), "utf8")).toBe("not a code cache");
    expect((await runIn("run.mjs")).out).toMatchObject({ label: "first", bundled: true });
    expect((await stat(join(caches, cache!))).size).toBeGreaterThan(1000);

    await writeScriptEntry("second");
    expect((await runIn("run.mjs")).out).toMatchObject({ label: "second", bundled: true });
    const after = await codeCaches();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(cache);
  });

  it("loads the modules themselves, and writes no cache, when told to", async () => {
    await rm(caches, { recursive: true });
    expect((await runIn("run.mjs", { MCP_BRIDGE_NO_BUNDLE: "1" })).out).toMatchObject({ label: "second", bundled: false });
    expect((await runIn("run.mjs", { NODE_DISABLE_COMPILE_CACHE: "1" })).out).toMatchObject({ label: "second", bundled: false });
    expect(await readdir(tree)).not.toContain("cache");
  });
});

describe("scriptForm", () => {
  const banner = 'import { createRequire as requireFromBundle } from "node:module";\nconst require = requireFromBundle(import.meta.url);\n';
  const output = { exports: [], imports: [{ path: "file:///a/later.ts", kind: "dynamic-import" }, { path: "node:fs", kind: "require-call" }] };

  it("makes the bundle the body of an async function, keeping line numbers, with its import()s given", () => {
    const code = `${banner}const a = await import("file:///a/later.ts");\nx.import("file:///a/later.ts");\nconst s = "import()";\n`;
    const script = scriptForm(code, "file:///b/main.mjs", output)!;
    expect(script.split("\n")).toEqual([
      '(async function (requireFromBundle, importFromBundle) {"use strict";',
      'const require = requireFromBundle("file:///b/main.mjs");',
      'const a = await importFromBundle("file:///a/later.ts");',
      'x.import("file:///a/later.ts");',
      'const s = "import()";',
      "",
      "})",
    ]);
  });

  it("returns the exports as getters, live as a module's", async () => {
    const code = `${banner}let count = 0;\nfunction bump() {\n  count++;\n}\nexport {\n  bump,\n  count as counted\n};\n`;
    const script = scriptForm(code, "file:///b/main.mjs", { ...output, exports: ["counted", "bump"] })!;
    expect(script.split("\n").slice(-3)).toEqual(["return { __proto__: null, get bump() { return bump; }, get counted() { return count; } };", "", "})"]);
    const exports = (await (0, eval)(script)(() => undefined, () => undefined)) as { bump(): void; counted: number };
    exports.bump();
    expect(exports.counted).toBe(1);
  });

  it("leaves a bundle whose exports it cannot read, or with no banner, to be imported as a module", () => {
    const code = `${banner}const a = 1;\nexport {\n  a\n};\n`;
    expect(scriptForm(code, "file:///b/main.mjs", { ...output, exports: ["a"] })).toBeDefined();
    expect(scriptForm(code, "file:///b/main.mjs", { ...output, exports: ["a", "b"] })).toBeUndefined();
    expect(scriptForm(`${banner}export const a = 1;\n`, "file:///b/main.mjs", { ...output, exports: ["a"] })).toBeUndefined();
    expect(scriptForm("const a = 1;\n", "file:///b/main.mjs", output)).toBeUndefined();
  });
});

describe("withOwnImportMeta", () => {
  it("writes a module's own import.meta values in, and refuses any other use of import.meta", () => {
    const code = withOwnImportMeta("const a = import.meta.url, b = import.meta.dirname, c = import.meta.filename;", "/x/y/z.ts");
    expect(code).toBe('const a = "file:///x/y/z.ts", b = "/x/y", c = "/x/y/z.ts";');
    expect(() => withOwnImportMeta('import.meta.resolve("a")', "/x/y/z.ts")).toThrow(/import\.meta/);
  });
});
