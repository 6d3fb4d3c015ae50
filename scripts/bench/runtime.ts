/**
 * npm run bench:runtime — what the bridge costs at run time. Prints figures; asserts nothing. Four parts, in this order
 * (BENCH_LANES picks some: miniflare, wrangler (1 and 2), node (3)), with the load average before and after:
 *
 * 0. The Miniflare lane (miniflare/lane.ts): the bridge bundled as for deploy, served by Miniflare's own listener
 *    beside an empty Worker and the direct API call; what the bridge adds per operation, warm, cold and at
 *    concurrency 8, in latency and in Worker CPU. This is the lane that reflects production; the next two are kept
 *    for continuity and mostly measure wrangler dev's proxy.
 * 1. Latency and throughput, in workerd: the sample Todo API and the test bridge Worker (test/runtime/worker.ts: the
 *    real runtime and generated tools behind the test auth adapter, which mints a new RS256 upstream token per call)
 *    each under `wrangler dev` on a free loopback port. The same calls — list todos, create a todo — are made
 *    (a) directly against the API with an API token and (b) through the bridge as MCP `tools/call` (the JSON-RPC POST
 *    the SDK client sends on the stateless 2025-11-25 lane, after one initialize), interleaved, sequentially, then at
 *    a small concurrency. Target: bridge p50 ≤ 1.3 × direct p50. A third path (c), a second bridge that reuses the
 *    upstream token per user and scopes, separates the test adapter's token minting from the bridge itself. A fourth
 *    (d) is the production topology for an API that is itself a Worker: the bridge (token reused) reaches the API
 *    through a service binding (bridge.yaml `api.binding`; test/runtime/wrangler.binding.jsonc), both Workers in ONE
 *    `wrangler dev -c <bridge> -c examples/todo-api/wrangler.jsonc` (the first is served on the port, the second is
 *    only reachable through the binding), so the bridge's own outbound HTTP hop disappears.
 *    The ≤ 1.3× comparison, (a) against (d), runs first with only those two `wrangler dev` sessions up: on a
 *    two-core machine every other session's background work lands in some sample. Then all four paths, interleaved.
 * 2. CPU per request in workerd, on Linux: the user + system time of a session's workerd processes (/proc) over
 *    sequential requests of one kind, divided by their number. Besides the bridge's tools/list and tools/call it
 *    measures a no-op request (what wrangler dev itself spends), the API through the binding without the bridge,
 *    and the MCP libraries alone (test/runtime/worker.ts `/__test/floor`: agents' createMcpHandler and an SDK
 *    server per request with the same tools, no bridge code), so the bridge's own share can be told apart.
 * 3. The bridge's own CPU per request, in Node: `createBridge(...).fetch` in
 *    process with an upstream `fetch` that answers at once, `process.cpuUsage()` over 2,000 tools/call and 2,000
 *    tools/list requests. Target: tools/list under 1 ms.
 *
 * Every child process is stopped on exit, error or signal (its whole process group: wrangler and its workerd).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { config } from "../../generated/config.ts";
import { policy } from "../../generated/policy.ts";
import { tools } from "../../generated/tools.ts";
import type { AuthAdapter } from "../../src/auth/types.ts";
import { createBridge } from "../../src/bridge.ts";
import { processStats } from "../proc.ts";
import { atConcurrency, figures, interleaved, loadAverage, timed, type Call, type Figures } from "./measure.ts";
import { LANE_DIR, miniflareLane } from "./miniflare/lane.ts";
import { acceptOnlyHelp } from "../usage.ts";
import { createTestAuthAdapter, exchangeTarget } from "../../test/runtime/test-auth.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const STATE = join(ROOT, ".cache", "bench", "runtime");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const N = Number(process.env["BENCH_N"] ?? 300);
const WARMUP = 30;
const CONCURRENCY = 8;
const CONCURRENT_REQUESTS = 400;
const CPU_REQUESTS = 2000;
const ISSUER = "http://127.0.0.1:9031";
const API_AUDIENCE = exchangeTarget(config).upstreamAudience || "http://127.0.0.1:8787";
const RESOURCE = exchangeTarget(config).resource;
const BOTH = "todo_api:read todo_api:write";
const PROTOCOL = "2025-11-25";

// ---------------------------------------------------------------------------------------------------------------
// Child processes

const children = new Set<ChildProcess>();

/** Stops a child's whole process group (wrangler and the workerd it started): TERM, then KILL after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return void children.delete(child);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stop));
}

// Last resort when the process exits without the cleanup having run (synchronous: KILL only).
process.on("exit", () => {
  for (const child of children) signalGroup(child, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the Workers…`);
    void stopAll()
      .then(() => rm(STATE, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connectTcp(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(true));
  });
}

interface Started {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
}

/**
 * `wrangler dev` for one Worker, or several in one process (the first served on the port, the others reachable
 * through service bindings), vars from an env file (given to every Worker); resolves once it answers HTTP.
 */
async function wranglerDev(name: string, configPath: string | readonly string[], vars: Record<string, string>): Promise<Started> {
  const configs = (typeof configPath === "string" ? [configPath] : configPath).flatMap((path) => ["-c", path]);
  const port = await freePort();
  const envFile = join(STATE, `${name}.env`);
  await writeFile(envFile, Object.entries(vars).map(([key, value]) => `${key}='${value}'\n`).join(""), { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      WRANGLER, "dev",
      ...configs,
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(await freePort()),
      "--env-file", envFile,
      "--persist-to", join(STATE, `${name}-state`),
      "--log-level", "warn",
      "--show-interactive-dev-session=false",
    ],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  children.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name}: wrangler dev exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`${name}: wrangler dev did not answer within 60 s:\n${output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return { name, url, port, child };
    } catch {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

/**
 * examples/todo-api/wrangler.jsonc with the bench's vars, written to the state directory: wrangler dev passes
 * `--env-file` to the first Worker of a multi-config session only, and the Todo API needs this run's key set.
 * Everything else (name, code, Durable Object, migrations) is the file's own.
 */
async function boundApiConfig(vars: Record<string, string>): Promise<string> {
  const source = join(ROOT, "examples", "todo-api", "wrangler.jsonc");
  const parsed = ts.parseConfigFileTextToJson(source, await readFile(source, "utf8"));
  if (parsed.error || typeof parsed.config !== "object") throw new Error(`cannot read ${source}`);
  const { $schema: _schema, dev: _dev, ...config } = parsed.config as Record<string, unknown>;
  const path = join(STATE, "todo-api.wrangler.json");
  await writeFile(path, JSON.stringify({ ...config, main: join(dirname(source), String(config["main"])), vars: { ...(config["vars"] as object), ...vars } }, null, 2));
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and tokens

async function keys(): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const meta = { kid: "bench-1", alg: "RS256", use: "sig" };
  return { publicJwk: { ...(await exportJWK(publicKey)), ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } };
}

async function jwksServer(publicJwk: JWK): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === "/pf/JWKS" ? 200 : 404, { "content-type": "application/json" });
    response.end(request.url === "/pf/JWKS" ? JSON.stringify({ keys: [publicJwk] }) : "{}");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pf/JWKS` };
}

async function sign(privateJwk: JWK, claims: { aud: string; sub: string; scope: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: "RS256", kid: privateJwk.kid!, typ: "at+jwt" })
    .setIssuer(ISSUER)
    .setAudience(claims.aud)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(await importJWK(privateJwk, "RS256"));
}

// ---------------------------------------------------------------------------------------------------------------
// The two paths

type Op = "list" | "create";

function direct(apiUrl: string, token: string): Record<Op, Call> {
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  return {
    list: async () => check(await fetch(`${apiUrl}/api/todos`, { headers }), 200),
    create: async () =>
      check(
        await fetch(`${apiUrl}/api/todos`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ todoText: "benchmark todo" }),
        }),
        201,
      ),
  };
}

function mcpHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": PROTOCOL,
  };
}

let rpcId = 0;

function viaBridge(bridgeUrl: string, token: string): Record<Op, Call> {
  const call = async (name: string, args: Record<string, unknown>) => {
    const response = await fetch(`${bridgeUrl}/mcp`, {
      method: "POST",
      headers: mcpHeaders(token),
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/call", params: { name, arguments: args } }),
    });
    const message = await rpcMessage(response);
    if (message.error || message.result?.isError) throw new Error(`${name}: ${JSON.stringify(message).slice(0, 300)}`);
  };
  return { list: () => call("list_todos", {}), create: () => call("create_todo", { todoText: "benchmark todo" }) };
}

/** The initialize a client sends once (the stateless lane needs no session afterwards). */
async function initialize(bridgeUrl: string, token: string): Promise<void> {
  const response = await fetch(`${bridgeUrl}/mcp`, {
    method: "POST",
    headers: mcpHeaders(token),
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: ++rpcId,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bench", version: "1.0.0" } },
    }),
  });
  const message = await rpcMessage(response);
  if (message.result?.protocolVersion !== PROTOCOL) throw new Error(`initialize: ${JSON.stringify(message)}`);
}

async function rpcMessage(response: Response): Promise<{ result?: any; error?: unknown }> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`bridge answered ${response.status}: ${text.slice(0, 300)}`);
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return JSON.parse(text);
  const data = text.split("\n").filter((line) => line.startsWith("data:"));
  return JSON.parse(data.at(-1)!.slice(5));
}

async function check(response: Response, status: number): Promise<void> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`API answered ${response.status}: ${text.slice(0, 300)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

type Path = "a" | "b" | "c" | "d";
type Paths = Record<Path, Record<Op, Call>>;
type PerPath = Record<Path, Figures>;
const PATHS: readonly Path[] = ["a", "b", "c", "d"];

function perPath<T>(make: (path: Path) => T): Record<Path, T> {
  return Object.fromEntries(PATHS.map((path) => [path, make(path)])) as Record<Path, T>;
}

/** N rounds of one call per given path, rotating which path goes first, so none gains from order or drift. */
function sequential<P extends Path>(op: Op, paths: Record<P, Record<Op, Call>>): Promise<Record<P, Figures>> {
  const calls = Object.fromEntries((Object.entries(paths) as [P, Record<Op, Call>][]).map(([path, ops]) => [path, ops[op]])) as Record<P, Call>;
  return interleaved(calls, N, WARMUP);
}

/** CONCURRENT_REQUESTS requests per path, CONCURRENCY at a time, in two halves (a, b, c, d, a, b, c, d), pooled per path. */
async function concurrent(op: Op, paths: Paths): Promise<PerPath> {
  const pooled = perPath<{ samples: number[]; wall: number }>(() => ({ samples: [], wall: 0 }));
  for (const path of [...PATHS, ...PATHS]) {
    const half = await atConcurrency(paths[path][op], CONCURRENCY, CONCURRENT_REQUESTS / 2);
    pooled[path].samples.push(...half.samples);
    pooled[path].wall += half.wall;
  }
  return perPath((path) => figures(pooled[path].samples, pooled[path].wall));
}

/** Every log line the test bridge Worker recorded so far. */
async function logLines(bridgeUrl: string): Promise<string[]> {
  return ((await (await fetch(`${bridgeUrl}/__test/logs`)).json()) as { lines: string[] }).lines;
}

/** The `ms` of the bridge's `tool_call` log events: one tool call without MCP and authentication. */
function callToolTimes(lines: readonly string[]): Figures {
  const times = lines
    .filter((line) => line.startsWith("event: "))
    .map((line) => JSON.parse(line.slice("event: ".length)) as { event: string; ms?: number })
    .filter((event) => event.event === "tool_call" && typeof event.ms === "number")
    .map((event) => event.ms!);
  return figures(times, times.reduce((total, value) => total + value, 0));
}

/** Sequential latency of one request, after a warm-up. */
async function latency(call: Call): Promise<Figures> {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < N; i++) samples.push(await timed(call));
  return figures(samples, samples.reduce((total, value) => total + value, 0));
}

/** A route of the bridge Worker that does nothing: the HTTP hop into a Worker under wrangler dev. */
function trivialRoute(bridgeUrl: string): Call {
  return async () => {
    const response = await fetch(`${bridgeUrl}/__test/nothing`);
    await response.text();
  };
}

/** The Todo API called through the (d) process's service binding by its bridge Worker, without the bridge runtime. */
function bindingOnly(bridgeUrl: string, apiToken: string): Call {
  return async () => check(await fetch(`${bridgeUrl}/__test/binding/api/todos`, { headers: { authorization: `Bearer ${apiToken}` } }), 200);
}

/** The bridge's fixed cost: an MCP request that calls no API (authentication, server per request, listing). */
function toolsList(bridgeUrl: string, token: string): Call {
  return async () => {
    const message = await rpcMessage(
      await fetch(`${bridgeUrl}/mcp`, {
        method: "POST",
        headers: mcpHeaders(token),
        body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/list", params: {} }),
      }),
    );
    if (!Array.isArray(message.result?.tools)) throw new Error(`tools/list: ${JSON.stringify(message).slice(0, 300)}`);
  };
}

/** An MCP request to the test Worker's `/__test/floor` route: the MCP libraries alone, no bridge code, no API. */
function floorCall(bridgeUrl: string, method: string, params: Record<string, unknown>): Call {
  return async () => {
    const response = await fetch(`${bridgeUrl}/__test/floor`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": PROTOCOL },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
    });
    const message = await rpcMessage(response);
    if (message.error || message.result?.isError) throw new Error(`floor ${method}: ${JSON.stringify(message).slice(0, 300)}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU per request, in workerd (Linux)

const CPU_SAMPLES = 600;
type CpuLane = "direct" | "hop" | "bindingOnly" | "floorList" | "floorCall" | "bridgeList" | "bridgeCall";

/**
 * User + system CPU of the workerd processes in `session`'s process group (wrangler dev is started detached, so its
 * pid is the group id), in milliseconds; undefined where /proc cannot tell (not Linux).
 */
function workerdCpuMs(session: Started): number | undefined {
  const stats = processStats()?.filter((stat) => stat.name === "workerd" && stat.processGroup === session.child.pid);
  return stats && (stats.reduce((ticks, stat) => ticks + stat.cpuTicks, 0) * 1000) / CLOCK_TICKS;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU per request of each lane, from `CPU_SAMPLES` sequential requests after a warm-up; `direct` runs in `api`, the rest in `bound`. */
async function workerdCpu(api: Started, bound: Started, lanes: Record<CpuLane, Call>): Promise<Record<CpuLane, number> | undefined> {
  const result = {} as Record<CpuLane, number>;
  for (const [lane, call] of Object.entries(lanes) as [CpuLane, Call][]) {
    const session = lane === "direct" ? api : bound;
    for (let i = 0; i < WARMUP; i++) await call();
    const before = workerdCpuMs(session);
    for (let i = 0; i < CPU_SAMPLES; i++) await call();
    const after = workerdCpuMs(session);
    if (before === undefined || after === undefined || after === before) return undefined;
    result[lane] = (after - before) / CPU_SAMPLES;
  }
  return result;
}

function printWorkerdCpu(cpu: Record<CpuLane, number> | undefined, directP50: number): void {
  if (!cpu) return void console.log("\nCPU per request in workerd: not measured (needs Linux /proc).");
  console.log(`\nCPU per request in workerd (user + system time of the session's workerd processes over ${CPU_SAMPLES} sequential requests each):`);
  console.log(`    a request that does nothing (what wrangler dev itself spends)                 ${ms(cpu.hop)}`);
  console.log(`    (a) list todos, directly                                                      ${ms(cpu.direct)}`);
  console.log(`    list todos through the binding, no bridge code (hop + binding + API)          ${ms(cpu.bindingOnly)}`);
  console.log(`    the MCP libraries alone (agents + SDK server per request): tools/list         ${ms(cpu.floorList)}`);
  console.log(`                                                               tools/call         ${ms(cpu.floorCall)}`);
  console.log(`    the bridge: tools/list                                                        ${ms(cpu.bridgeList)}`);
  console.log(`                tools/call list todos (d)                                         ${ms(cpu.bridgeCall)}`);
  // The no-op request is a GET: the libraries' figure also holds reading a small POST body.
  const libraries = cpu.floorCall - cpu.hop;
  const binding = cpu.bindingOnly - cpu.direct;
  const own = cpu.bridgeCall - cpu.bindingOnly - libraries;
  console.log(`  so one tool call in (d) adds ${ms(cpu.bridgeCall - cpu.direct)} of CPU to the direct call: the MCP request through the libraries ${ms(libraries)},`);
  console.log(`  the service binding ${ms(binding)}, the bridge's own code (auth, policy, validation, request, result) ${ms(own)}.`);
  console.log(`  ≤ 1.3× leaves ${ms(0.3 * directP50)} of wall time (0.3 × (a)'s p50 above) for all of it; the libraries and the binding`);
  console.log(`  alone take ${ms(libraries + binding)} of CPU (one request at a time is CPU-bound here: compare the no-op request's CPU`);
  console.log("  with its p50 in the table above, though workerd's threads can overlap some of it).");
}

// ---------------------------------------------------------------------------------------------------------------
// CPU per request, in process

async function cpuPerRequest(): Promise<{ label: string; list: number; call: number; listWall: number; callWall: number }[]> {
  const todos = Array.from({ length: 10 }, (_, i) => ({
    id: crypto.randomUUID(),
    text: `todo ${i}`,
    completed: i % 2 === 0,
    createdAt: new Date(0).toISOString(),
  }));
  const listBody = JSON.stringify({ todos });
  const instantApi = (async () =>
    new Response(listBody, { status: 200, headers: { "content-type": "application/json" } })) as unknown as typeof fetch;

  const staticAdapter: AuthAdapter = {
    authenticate: async () => ({
      ok: true,
      identity: { subject: "bench-user", scopes: ["todo_api:read", "todo_api:write"], claims: {} },
      credentials: { headersFor: async () => ({ authorization: "Bearer upstream-token" }) },
    }),
  };
  const { publicJwk, privateJwk } = await keys();
  const jwtAdapter = createTestAuthAdapter({
    issuer: ISSUER,
    resource: RESOURCE,
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    signingKey: privateJwk,
    upstreamAudience: API_AUDIENCE,
  });
  const token = await sign(privateJwk, { aud: RESOURCE, sub: "bench-user", scope: BOTH });

  const rows = [];
  for (const [label, adapter] of [
    ["bridge only (static identity)", staticAdapter],
    ["with the test JWT adapter (RS256 verify + mint)", jwtAdapter],
  ] as const) {
    const bridge = createBridge({ config, tools, policy, adapter, fetch: instantApi, log: () => {} });
    const env = { TODO_API_BASE_URL: "http://127.0.0.1:8787" };
    const send = async (body: unknown) => {
      const response = await bridge.fetch(
        new Request(`${RESOURCE}`, {
          method: "POST",
          headers: { host: "127.0.0.1:8788", ...mcpHeaders(token) },
          body: JSON.stringify(body),
        }),
        env,
      );
      const message = await rpcMessage(response);
      if (message.error || message.result?.isError) throw new Error(JSON.stringify(message).slice(0, 300));
    };
    const list = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
    const call = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_todos", arguments: {} } };
    const measure = async (body: unknown) => {
      for (let i = 0; i < 200; i++) await send(body);
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < CPU_REQUESTS; i++) await send(body);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      return { cpu: (used.user + used.system) / 1000 / CPU_REQUESTS, wall: wall / CPU_REQUESTS };
    };
    const listed = await measure(list);
    const called = await measure(call);
    rows.push({ label, list: listed.cpu, call: called.cpu, listWall: listed.wall, callWall: called.wall });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

const ms = (value: number) => `${value.toFixed(2).padStart(7)} ms`;
const rate = (value: number) => `${value.toFixed(0).padStart(5)}/s`;

const LABELS: Record<Path, string> = {
  a: "(a) direct to the API",
  b: "(b) bridge, HTTP to the API",
  c: "(c) bridge, HTTP, token reused",
  d: "(d) bridge, service binding, token reused",
};
/** The paths judged against the ≤ 1.3× target: the bridge as measured (b) and in its production topology (d). */
const TARGETED: ReadonlySet<Path> = new Set(["b", "d"]);

function printRows<P extends Path>(title: string, result: Record<P | "a", Figures>, paths: readonly (P | "a")[] = PATHS as readonly P[]): void {
  console.log(`  ${title}`);
  for (const path of paths) {
    const ratio = result[path].p50 / result.a.p50;
    const target = TARGETED.has(path) ? (ratio <= 1.3 ? " (target ≤ 1.3×: met)" : " (target ≤ 1.3×: not met)") : "";
    const verdict = path === "a" ? "" : `p50 ${ratio.toFixed(2)}× direct${target}`;
    console.log(`    ${LABELS[path].padEnd(42)} p50 ${ms(result[path].p50)}  p95 ${ms(result[path].p95)}  ${rate(result[path].perSecond)}   ${verdict}`);
  }
}

/** Which parts run: BENCH_LANES, a comma-separated subset of these (default: all, in this order). */
const PARTS = ["miniflare", "wrangler", "node"] as const;

async function main(): Promise<void> {
  const wanted = (process.env["BENCH_LANES"] ?? PARTS.join(",")).split(",").map((part) => part.trim());
  const unknown = wanted.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_LANES: unknown part "${unknown[0]}" (choose from ${PARTS.join(", ")})`);
  console.log(`bench:runtime (${wanted.join(", ")}). Load average at start: ${loadAverage()}\n`);
  if (wanted.includes("miniflare")) {
    await miniflareLane({
      root: ROOT,
      dir: LANE_DIR(ROOT),
      rounds: N,
      warmup: WARMUP,
      // 30 alternating rounds: the paired differences of fewer drift by ±0.1 ms from run to run on a shared machine.
      cpuRequests: 1500,
      coldStarts: Number(process.env["BENCH_COLD"] ?? 5),
      concurrency: CONCURRENCY,
      concurrentRequests: CONCURRENT_REQUESTS,
    });
  }
  if (wanted.includes("wrangler")) await wranglerDevLanes();
  if (wanted.includes("node")) await nodeCpu();
  console.log(`\nLoad average at end: ${loadAverage()}`);
}

async function wranglerDevLanes(): Promise<void> {
  await rm(STATE, { recursive: true, force: true });
  await mkdir(STATE, { recursive: true });
  const { publicJwk, privateJwk } = await keys();
  const jwks = await jwksServer(publicJwk);
  const ports: number[] = [];
  try {
    console.log("Starting the Todo API and the bridge under wrangler dev…");
    const started = performance.now();
    const api = await wranglerDev("todo-api", join(ROOT, "examples", "todo-api", "wrangler.jsonc"), {
      ISSUER,
      AUDIENCE: API_AUDIENCE,
      JWKS_URL: jwks.url,
    });
    const bridgeVars = { TODO_API_BASE_URL: api.url, ISSUER, JWKS_URL: jwks.url, SIGNING_KEY: JSON.stringify(privateJwk) };
    const bridgeConfig = join(ROOT, "test", "runtime", "wrangler.jsonc");
    // One process, two Workers: the bridge on the port, TODO_API bound to its own instance of the Todo API (which
    // needs AUDIENCE; the bridge's TODO_API_BASE_URL stays its config's unresolvable host: nothing goes over HTTP).
    const bindingConfigs = [
      join(ROOT, "test", "runtime", "wrangler.binding.jsonc"),
      await boundApiConfig({ ISSUER, AUDIENCE: API_AUDIENCE, JWKS_URL: jwks.url }),
    ];
    const { TODO_API_BASE_URL: _overHttp, ...bindingVars } = bridgeVars;
    const bound = await wranglerDev("bridge-binding", bindingConfigs, { ...bindingVars, UPSTREAM_TOKEN_REUSE_SECONDS: "45" });
    ports.push(api.port, bound.port);
    console.log(`  up in ${((performance.now() - started) / 1000).toFixed(1)} s: API ${api.url}, bridge + API in one process`);
    console.log(`  (service binding, token reused) ${bound.url}/mcp\n`);

    // One user whose list holds 10 todos (list), one who receives the creates (create): the same for every path.
    const lister = "bench-lister";
    const creator = "bench-creator";
    const apiToken = (sub: string) => sign(privateJwk, { aud: API_AUDIENCE, sub, scope: BOTH });
    const clientToken = (sub: string) => sign(privateJwk, { aud: RESOURCE, sub, scope: BOTH });
    const seed = direct(api.url, await apiToken(lister));
    for (let i = 0; i < 10; i++) await seed.create();
    // The bound API is another instance (its own storage), reachable only through the bridge: seeded through it.
    const seedBound = viaBridge(bound.url, await clientToken(lister));
    for (let i = 0; i < 10; i++) await seedBound.create();
    await initialize(bound.url, await clientToken(lister));
    const a: Record<Op, Call> = { list: direct(api.url, await apiToken(lister)).list, create: direct(api.url, await apiToken(creator)).create };
    const d: Record<Op, Call> = { list: viaBridge(bound.url, await clientToken(lister)).list, create: viaBridge(bound.url, await clientToken(creator)).create };

    console.log("The target comparison, with only these two wrangler dev sessions running: (a) the Todo API called directly");
    console.log("with an API token, (d) MCP tools/call through the bridge, which reaches the same API code through a service");
    console.log(`binding (the production topology for a Worker API). Sequential, N=${N} per path after ${WARMUP} warm-up, interleaved:`);
    const target = { list: await sequential("list", { a, d }), create: await sequential("create", { a, d }) };
    printRows("list todos (10 todos)", target.list, ["a", "d"]);
    printRows("create a todo", target.create, ["a", "d"]);

    const cpuRows = await workerdCpu(api, bound, {
      direct: a.list,
      hop: trivialRoute(bound.url),
      bindingOnly: bindingOnly(bound.url, await apiToken(lister)),
      floorList: floorCall(bound.url, "tools/list", {}),
      floorCall: floorCall(bound.url, "tools/call", { name: "list_todos", arguments: {} }),
      bridgeList: toolsList(bound.url, await clientToken(lister)),
      bridgeCall: d.list,
    });

    console.log("\nStarting the two bridges that call the API over HTTP…");
    const [bridge, cached] = await Promise.all([
      wranglerDev("bridge", bridgeConfig, bridgeVars),
      wranglerDev("bridge-reuse", bridgeConfig, { ...bridgeVars, UPSTREAM_TOKEN_REUSE_SECONDS: "45" }),
    ]);
    ports.push(bridge.port, cached.port);
    console.log(`  bridge ${bridge.url}/mcp, bridge (token reused) ${cached.url}/mcp\n`);
    for (const { url } of [bridge, cached]) await initialize(url, await clientToken(lister));

    const paths: Paths = {
      a,
      b: { list: viaBridge(bridge.url, await clientToken(lister)).list, create: viaBridge(bridge.url, await clientToken(creator)).create },
      c: { list: viaBridge(cached.url, await clientToken(lister)).list, create: viaBridge(cached.url, await clientToken(creator)).create },
      d,
    };

    console.log("Latency and throughput of the same calls: (a) direct to the Todo API with an API token, (b) MCP tools/call");
    console.log("through the bridge, which mints a new RS256 upstream token per call, (c) the same with the upstream token");
    console.log("reused per user and scopes (as a deployment caches its token exchanges), (d) the same bridge reaching the");
    console.log("API through a service binding, both Workers in one wrangler dev (the production topology for a Worker API).");
    console.log("Ratios are to (a), whose one HTTP hop from the client (b, c and d have one too) is in every path.");
    console.log(`With all four sessions running: sequential, N=${N} per path after ${WARMUP} warm-up, interleaved (a b c d, b c d a, …):`);
    const logsBefore = (await logLines(bridge.url)).length;
    const boundLogsBefore = (await logLines(bound.url)).length;
    const listed = await sequential("list", paths);
    printRows("list todos (10 todos)", listed);
    printRows("create a todo", await sequential("create", paths));
    const inside = callToolTimes((await logLines(bridge.url)).slice(logsBefore));
    const insideBound = callToolTimes((await logLines(bound.url)).slice(boundLogsBefore));
    console.log(`concurrency ${CONCURRENCY}, ${CONCURRENT_REQUESTS} requests per path:`);
    printRows("list todos (10 todos)", await concurrent("list", paths));
    printRows("create a todo", await concurrent("create", paths));
    const hop = await latency(trivialRoute(bridge.url));
    const listing = await latency(toolsList(bridge.url, await clientToken(lister)));
    const boundHop = await latency(trivialRoute(bound.url));
    const boundListing = await latency(toolsList(bound.url, await clientToken(lister)));
    const boundApi = await latency(bindingOnly(bound.url, await apiToken(lister)));
    console.log("where the time goes, sequential p50:                                               (b) HTTP   (d) binding");
    console.log(`    a request to a Worker under wrangler dev that does nothing (the hop)        ${ms(hop.p50)} ${ms(boundHop.p50)}`);
    console.log(`    tools/list through the bridge (hop + authentication + MCP server, no API)   ${ms(listing.p50)} ${ms(boundListing.p50)}`);
    console.log(`    inside the bridge, one tool call (credentials + API call + result)*         ${ms(inside.p50)} ${ms(insideBound.p50)}`);
    console.log(`    hop + the API through the binding, no bridge runtime (list todos)           ${" ".repeat(10)} ${ms(boundApi.p50)}`);
    console.log(`    the whole tool call through the bridge (list todos, sequential above)       ${ms(listed.b.p50)} ${ms(listed.d.p50)}`);
    console.log(`    the same API call made directly (a, list todos)                             ${ms(listed.a.p50)}`);
    console.log(`    so in (d) the bridge runtime itself adds ${ms(listed.d.p50 - boundApi.p50)} (the whole call less the binding row); ≤ 1.3× allows ${ms(0.3 * listed.a.p50)}`);
    console.log("    * the `ms` of its tool_call log events during the sequential runs (workerd's clock advances on I/O only).");
    printWorkerdCpu(cpuRows, target.list.a.p50);
  } finally {
    await stopAll();
    await new Promise<void>((done) => jwks.server.close(() => done()));
    const busy = [];
    for (const port of ports) if (!(await portIsFree(port))) busy.push(port);
    console.log(busy.length === 0 ? `\nWorkers stopped; ports ${ports.join(", ")} free.` : `\nWARNING: ports still in use: ${busy.join(", ")}`);
    await rm(STATE, { recursive: true, force: true });
  }

}

async function nodeCpu(): Promise<void> {
  console.log(`\nBridge CPU per request in Node (createBridge(...).fetch in process, instant upstream, ${CPU_REQUESTS} requests each):`);
  for (const row of await cpuPerRequest()) {
    console.log(`  ${row.label}`);
    console.log(`    tools/list (5 tools)            ${ms(row.list)} CPU  ${ms(row.listWall)} wall   ${row.list < 1 ? "(< 1 ms target met)" : "(target < 1 ms: not met)"}`);
    console.log(`    tools/call list_todos (10)      ${ms(row.call)} CPU  ${ms(row.callWall)} wall`);
  }
}

acceptOnlyHelp(`usage: npm run bench:runtime        (BENCH_N=<requests per measurement>, default 300;
                                    BENCH_LANES=miniflare,wrangler,node: the parts to run, default all;
                                    BENCH_COLD=<fresh workerd processes per operation>, default 5)

Measures what the bridge costs per request: the bridge bundled as for deploy and served by Miniflare's own listener
beside an empty Worker and the direct API call (latency, Worker CPU per call, cold and warm, concurrency 8); the same
calls made directly to the Todo API and through the bridge under wrangler dev (over HTTP and through a service
binding), with workerd CPU per request from /proc; and the bridge's own CPU in Node. Prints figures, asserts nothing;
see docs/benchmarks.md.`);
try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopAll();
}
