/**
 * The cache of our modules with their types stripped (scripts/generator/stripped-cache.mjs), in a real Node process:
 * a module loads as Node itself would load it (same values, same stack trace positions, nothing more on stderr), and
 * a file that changed is stripped again rather than served stale, its kept copy replaced.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const HOOK = new URL("../../scripts/generator/stripped-cache.mjs", import.meta.url).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stripped-cache-"));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }');
  // With the hook: `node cached.mjs`; without: `node plain.mjs`. Each prints the module's value and where it threw.
  const body = `const m = await import("./typed.ts");\nlet at; try { m.fail(); } catch (e) { at = e.stack.split("\\n")[1].trim(); }\nconsole.log(JSON.stringify({ value: m.value, at }));\n`;
  await writeFile(join(dir, "cached.mjs"), `const { useStrippedCache } = await import(${JSON.stringify(HOOK)});\nuseStrippedCache(${JSON.stringify(join(dir, "cache"))});\n${body}`);
  await writeFile(join(dir, "plain.mjs"), body);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function node(entry: string): Promise<{ out: { value: unknown; at: string }; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [entry], { cwd: dir, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "" } });
  return { out: JSON.parse(stdout) as { value: unknown; at: string }, stderr };
}

async function writeModule(value: number): Promise<void> {
  const source = `interface Shape {\n  value: number;\n}\nexport const value: Shape["value"] = ${value};\nexport function fail(): never {\n  throw new Error("here");\n}\n`;
  await writeFile(join(dir, "typed.ts"), source);
}

describe("useStrippedCache", () => {
  it("loads a module as Node's own stripping does, keeps it, and strips a changed file again", async () => {
    await writeModule(1);
    const plain = await node("plain.mjs");
    const first = await node("cached.mjs");
    expect(first.out).toEqual(plain.out);
    expect(first.out.at).toMatch(/typed\.ts:6:9\)$/);
    expect(first.stderr).toBe(plain.stderr);
    const kept = await readdir(join(dir, "cache"));
    expect(kept).toHaveLength(1);
    const keptFile = join(dir, "cache", kept[0]!);
    const stripped = await readFile(keptFile, "utf8");
    expect(stripped).toContain("export const value                 = 1;");

    // The next run reads the kept file instead of stripping again (edited here to tell the two apart).
    await writeFile(keptFile, stripped.replace("= 1;", "= 7;"));
    expect((await node("cached.mjs")).out).toEqual({ value: 7, at: plain.out.at });
    await writeModule(2);
    expect((await node("cached.mjs")).out).toEqual({ value: 2, at: plain.out.at });
    // One file per module, replaced.
    expect(await readdir(join(dir, "cache"))).toEqual(kept);
    expect(await readFile(keptFile, "utf8")).toContain("export const value                 = 2;");
  });
});
