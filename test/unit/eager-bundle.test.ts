/**
 * The CLI's start-up modules from one pre-built file (scripts/generator/eager-bundle.mjs), in real Node processes: a
 * small module graph gives the same output bundled as not (relative paths through import.meta.url, a lazy import()
 * left to run time), the bundle is built once and reused, built again after a source edit or a package's new install,
 * and a broken cache (a
 * truncated bundle, a manifest that does not parse) is replaced or, when it cannot be, the modules load unbundled.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOwnImportMeta } from "../../scripts/generator/eager-bundle.mjs";

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

    // The next run uses the kept bundle (edited here to tell the two apart).
    expect(code).toMatch(/\bvalue = 1;/);
    await writeFile(bundle, code.replace(/\bvalue = 1;/, "value = 7;"));
    const size = (await stat(bundle)).size;
    await writeFile(join(cache, "main.json"), (await readFile(join(cache, "main.json"), "utf8")).replace(/"size":\d+/, `"size":${size}`));
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

describe("withOwnImportMeta", () => {
  it("writes a module's own import.meta values in, and refuses any other use of import.meta", () => {
    const code = withOwnImportMeta("const a = import.meta.url, b = import.meta.dirname, c = import.meta.filename;", "/x/y/z.ts");
    expect(code).toBe('const a = "file:///x/y/z.ts", b = "/x/y", c = "/x/y/z.ts";');
    expect(() => withOwnImportMeta('import.meta.resolve("a")', "/x/y/z.ts")).toThrow(/import\.meta/);
  });
});
