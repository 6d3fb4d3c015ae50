/**
 * openapi-mcp-generator, the peer bench/generate.ts measures the generator against: installed on first use with npm
 * into `.cache/bench/peer/` (git-ignored; not a project dependency), with the dependencies of the servers it
 * generates beside it, so its output can be typechecked and served.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, readlink, symlink, unlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { exists } from "../corpus/npm-package.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
export const PEER_VERSION = "4.0.1";
const HOME = join(ROOT, ".cache", "bench", "peer");
/** Where the generated servers' dependencies are installed once (their package.json asks for the same ones). */
const OUTPUT_DEPS = join(HOME, "output-deps");

/** The peer's CLI script, installing the pinned version first if needed. */
export async function peerCli(): Promise<string> {
  const cli = join(HOME, "node_modules", "openapi-mcp-generator", "bin", "openapi-mcp-generator.js");
  const installed = await readFile(join(HOME, "node_modules", "openapi-mcp-generator", "package.json"), "utf8").catch(() => "{}");
  if ((JSON.parse(installed) as { version?: string }).version !== PEER_VERSION) {
    await mkdir(HOME, { recursive: true });
    console.log(`installing openapi-mcp-generator@${PEER_VERSION} into ${HOME} …`);
    await run("npm", ["install", "--prefix", HOME, `openapi-mcp-generator@${PEER_VERSION}`, "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: ROOT });
  }
  return cli;
}

/** Links `node_modules` of a generated server to the dependencies its package.json names (installed once). */
export async function linkOutputDeps(outDir: string): Promise<void> {
  const modules = join(OUTPUT_DEPS, "node_modules");
  if (!(await exists(modules))) {
    const generated = JSON.parse(await readFile(join(outDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const { typescript, "@types/node": types } = generated.devDependencies;
    await mkdir(OUTPUT_DEPS, { recursive: true });
    const manifest = { name: "peer-output-deps", private: true, dependencies: generated.dependencies, devDependencies: { typescript, "@types/node": types } };
    await writeFile(join(OUTPUT_DEPS, "package.json"), JSON.stringify(manifest, null, 2));
    console.log(`installing the dependencies of openapi-mcp-generator's servers into ${OUTPUT_DEPS} …`);
    await run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: OUTPUT_DEPS });
  }
  await linkTo(modules, join(outDir, "node_modules"));
}

/** `link` made a symlink to `target`, replacing a link to anywhere else (e.g. a dangling one in a copied .cache). */
async function linkTo(target: string, link: string): Promise<void> {
  const current = await readlink(link).catch(() => undefined);
  if (current === target) return;
  if (current !== undefined) await unlink(link);
  await symlink(target, link, "dir");
}

/**
 * The bytes of the tools/list result the peer's generated stdio server sends (its src/index.ts run by Node's type
 * stripping, no build step): initialize, initialized, tools/list, then stdin closes.
 */
export function peerServedListing(node: string, outDir: string): Promise<{ bytes: number; tools: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [join(outDir, "src", "index.ts")], { cwd: outDir, stdio: ["pipe", "pipe", "ignore"] });
    let buffered = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const message = JSON.parse(line) as { id?: number; result?: { tools: unknown[] } };
        if (message.id !== 2 || !message.result) continue;
        resolvePromise({ bytes: Buffer.byteLength(JSON.stringify(message.result)), tools: message.result.tools.length });
        child.kill();
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the peer's server for ${outDir} exited (code ${code}) before answering tools/list`)));
    const send = (message: object): boolean => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
  });
}
