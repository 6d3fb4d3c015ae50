/**
 * npm run bench:search — discovery mode on GitHub's REST API description (~1,200 operations): does the search find
 * what people ask for, and what does it cost? Prints figures; asserts nothing.
 *
 * 1. Quality and answer size, in process: a GitHub bridge in discovery mode (scripts/corpus/github-bridge.ts) is
 *    generated into .cache/bench/search/, then driven through `createBridge(...).fetch` as an MCP client would: one
 *    tools/list, then one `search_operations` call per task of scripts/bench/search-tasks.ts, for a caller holding
 *    every scope. Top-1 / top-5 recall (a task counts when one of its operations is ranked there) and each answer's
 *    estimated tokens (4 bytes each, as the generator's report counts). Targets: top-5 ≥ 90 %, tools/list ≤ 2,000
 *    tokens, an answer ≤ 1,500.
 * 2. CPU of one search (target ≤ 5 ms) and of parsing the index once per isolate: in Node (process.cpuUsage) and in
 *    workerd (scripts/bench/search-workerd.ts, /proc), repeated; ranges are printed because the machine is shared.
 * 3. The Worker bundle with the GitHub index: `wrangler deploy --dry-run --outdir`, against Cloudflare's Worker size
 *    limits (after compression: 3 MB on Workers Free, 10 MB on Workers Paid; developers.cloudflare.com/workers/platform/limits/).
 */
import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import MiniSearch from "minisearch";
import type { AuthAdapter } from "../../src/auth/types.ts";
import { createBridge, type BridgeOptions } from "../../src/bridge.ts";
import { searchOperations } from "../../src/discovery/search.ts";
import { INDEX_OPTIONS } from "../../src/discovery/terms.ts";
import type { DiscoveryDefinition } from "../../src/discovery/types.ts";
import { toGithubDiscoveryBridge } from "../corpus/github-bridge.ts";
import { githubSpecPath } from "../corpus/github-spec.ts";
import { writeBridgeProject } from "../start/bridge-project.ts";
import { SEARCH_TASKS } from "./search-tasks.ts";
import { measureInWorkerd } from "./search-workerd.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const DIR = join(ROOT, ".cache", "bench", "search");
const REPETITIONS = 3;
const SCOPES = { read: "github:read", write: "github:write" };
const MB = 1024 * 1024;

const tokens = (bytes: number): number => Math.ceil(bytes / 4);
const byteLength = (text: string): number => Buffer.byteLength(text);
const range = (values: readonly number[], digits = 2): string =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Every caller the same identity holding both scopes; upstream credentials are never asked for (searches only). */
const everyScope: AuthAdapter = {
  authenticate: async () => ({ ok: true, identity: { subject: "bench", scopes: [SCOPES.read, SCOPES.write], claims: {} }, credentials: { headersFor: async () => ({}) } }),
};

async function rpc(bridge: ReturnType<typeof createBridge>, method: string, params: unknown): Promise<any> {
  const request = new Request("http://127.0.0.1:8788/mcp", {
    method: "POST",
    headers: { host: "127.0.0.1:8788", "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const text = await (await bridge.fetch(request, {})).text();
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
  return JSON.parse(data.at(-1) ?? text).result;
}

async function main(): Promise<void> {
  const specPath = await githubSpecPath();
  await rm(DIR, { recursive: true, force: true });
  console.log(`Generating a GitHub bridge in discovery mode into ${DIR} …`);
  await writeBridgeProject({
    root: ROOT,
    dir: DIR,
    writtenBy: "npm run bench:search",
    edit: (document) => toGithubDiscoveryBridge(document, { specPath, baseUrl: "https://api.example.test", scopes: SCOPES }),
  });
  const load = async (name: string) => import(pathToFileURL(join(DIR, "generated", name)).href);
  const [{ config }, { tools }, { policy }, { discovery }] = await Promise.all(["config.ts", "tools.ts", "policy.ts", "discovery.ts"].map(load));
  const definition = discovery as DiscoveryDefinition;
  const bridge = createBridge({ config, tools, policy, discovery: definition, adapter: everyScope, log: () => {} } as BridgeOptions);

  // 1. Quality and size.
  const listed = await rpc(bridge, "tools/list", {});
  const listBytes = byteLength(JSON.stringify(listed));
  console.log(`\n${tools.length} operations; discovery tools/list: ${listed.tools.map((t: { name: string }) => t.name).join(", ")}`);
  console.log(`  ${listBytes.toLocaleString("en-US")} bytes, ~${tokens(listBytes)} tokens (target ≤ 2,000)\n`);
  const operationIds = new Map<string, string>(tools.map((tool: { name: string; operationId: string }) => [tool.operationId, tool.name]));
  let top1 = 0;
  let top5 = 0;
  const answerTokens: number[] = [];
  console.log("rank  tokens  task → first hit");
  for (const task of SEARCH_TASKS) {
    const result = await rpc(bridge, "tools/call", { name: definition.names.search, arguments: { query: task.ask } });
    const text: string = result.content[0].text;
    const names: string[] = JSON.parse(text).operations.map((op: { name: string }) => op.name);
    const wanted = task.answers.map((id) => operationIds.get(id));
    const rank = names.findIndex((name) => wanted.includes(name));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 5) top5++;
    answerTokens.push(tokens(byteLength(text)));
    const shown = rank < 0 ? "  –" : String(rank + 1).padStart(3);
    console.log(`${shown}   ${String(answerTokens.at(-1)).padStart(5)}  ${task.ask} → ${names[0] ?? "(none)"}${rank === 0 ? "" : `  (wanted ${wanted[0]})`}`);
  }
  const n = SEARCH_TASKS.length;
  const sorted = [...answerTokens].sort((a, b) => a - b);
  console.log(`\nTop-1 recall ${top1}/${n} = ${((100 * top1) / n).toFixed(1)} %; top-5 recall ${top5}/${n} = ${((100 * top5) / n).toFixed(1)} % (target ≥ 90 %)`);
  console.log(`Answer tokens (default limit of 8 hits): median ${sorted[Math.floor(n / 2)]}, max ${sorted.at(-1)} (target ≤ 1,500)`);

  // 2. CPU.
  const queries = SEARCH_TASKS.map((task) => task.ask);
  const nodeSearch: number[] = [];
  const nodeLoad: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    let started = process.cpuUsage();
    for (let round = 0; round < 20; round++) for (const query of queries) searchOperations(definition, query, () => true);
    let used = process.cpuUsage(started);
    nodeSearch.push((used.user + used.system) / 1000 / (20 * queries.length));
    started = process.cpuUsage();
    for (let k = 0; k < 5; k++) MiniSearch.loadJSON(definition.index, INDEX_OPTIONS);
    used = process.cpuUsage(started);
    nodeLoad.push((used.user + used.system) / 1000 / 5);
  }
  console.log(`\nCPU per search over the ${tools.length}-operation index (${queries.length} task queries × 20, ${REPETITIONS} repetitions):`);
  console.log(`  Node ${process.version}: ${range(nodeSearch)} ms per search; parsing the index once: ${range(nodeLoad, 0)} ms`);
  const workerd = await measureInWorkerd(DIR, ROOT, queries, REPETITIONS);
  if (workerd) {
    console.log(`  workerd (/proc, ${queries.length * 20} searches per sample): ${range(workerd.searchMs)} ms per search (target ≤ 5 ms); parsing the index once: ${range(workerd.loadMs, 0)} ms`);
  } else console.log("  workerd: not measured (no /proc)");

  // 3. Bundle.
  await writeFile(join(DIR, "wrangler.jsonc"), JSON.stringify({ name: "github-bridge-bench", main: "entry.ts", compatibility_date: "2026-11-01", compatibility_flags: ["nodejs_compat"], send_metrics: false }));
  const outdir = join(DIR, "dist");
  const { stdout } = await run(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "-c", join(DIR, "wrangler.jsonc")], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, maxBuffer: 16 * MB });
  const files = (await readdir(outdir)).filter((name) => /\.(m?js|wasm)$/.test(name));
  const bytes = await Promise.all(files.map((name) => readFile(join(outdir, name))));
  const raw = bytes.reduce((sum, b) => sum + b.byteLength, 0);
  const gzipped = bytes.reduce((sum, b) => sum + gzipSync(b).byteLength, 0);
  const indexGzip = gzipSync(definition.index).byteLength;
  console.log(`\nWorker bundle (wrangler deploy --dry-run): ${(raw / MB).toFixed(2)} MB, ${(gzipped / MB).toFixed(2)} MB gzipped`);
  console.log(`  wrangler: ${/Total Upload:[^\n]*/.exec(stdout)?.[0] ?? "(no size line)"}`);
  console.log(`  of which the search index: ${(byteLength(definition.index) / MB).toFixed(2)} MB, ${(indexGzip / MB).toFixed(2)} MB gzipped`);
  console.log(`  Workers size limit after compression: 3 MB (Free) ${gzipped <= 3 * MB ? "met" : "exceeded"}, 10 MB (Paid) ${gzipped <= 10 * MB ? "met" : "exceeded"}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
