/**
 * The Miniflare lane of `npm run bench:runtime`: what the bridge adds to a request in the runtime a deployment uses,
 * without wrangler dev's proxy. Three lanes, interleaved, against one Node Todo API (stand-ins.ts):
 *
 *   direct   the client calls the API itself
 *   empty    the client calls an empty Worker under the same Miniflare listener: answering at once (the floor of
 *            tools/list) or forwarding the same API request (the floor of a tool call)
 *   mcpfloor for a tool call, the client sends the empty Worker the tool call's own MCP POST (same headers, same
 *            JSON-RPC body, the body read by the Worker, the answer parsed by the client as the bridge's is), and
 *            the Worker makes the tool's API request: what any MCP server on Workers pays for that call, since
 *            its client must POST a JSON-RPC message where a plain API client sends a bodiless GET
 *   bridge   the client calls the bridge bundled as for deploy (workers.ts), with the real PingFederate adapter
 *
 * For each operation (tools/list, a GET tool, a POST tool): warm sequential p50/p95 and calls/s, the Worker CPU per
 * call (workerd's threads, /proc schedstat), the same at concurrency 8, and cold: the first request of a fresh
 * workerd (new isolates), repeated. "Added" is the bridge less the empty Worker; for tool calls also less the
 * mcpfloor lane, the same request without the bridge.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { freePorts } from "../../start/ports.ts";
import { atConcurrency, figures, interleaved, loadAverage, timed, type Call, type Figures } from "../measure.ts";
import { startIdentityProviderStandIn, startTodoApi } from "./stand-ins.ts";
import { bundleBridge, serve, type Served } from "./workers.ts";

export interface LaneOptions {
  root: string;
  /** Where the generated bridge and its bundle go (removed afterwards). */
  dir: string;
  /** Sequential rounds per operation. */
  rounds: number;
  warmup: number;
  /** Requests per lane for CPU per call, in batches of CPU_BATCH interleaved across lanes. */
  cpuRequests: number;
  /** Fresh workerd processes per operation for the cold figures. */
  coldStarts: number;
  concurrency: number;
  concurrentRequests: number;
}

type Op = "list" | "get" | "post";
const OPS: readonly Op[] = ["list", "get", "post"];
const OP_LABELS: Record<Op, string> = { list: "tools/list", get: "GET tool (list_todos, 10 todos)", post: "POST tool (create_todo)" };
const TARGET_LATENCY: Record<Op, number | undefined> = { list: 0.5, get: 1.0, post: undefined };
const TARGET_CPU = 0.8;
const PROTOCOL = "2025-11-25";
const SCOPES = "todo_api:read todo_api:write";

type Lane = "direct" | "empty" | "mcpfloor" | "bridge";
const LANES: readonly Lane[] = ["direct", "empty", "mcpfloor", "bridge"];
type Lanes = Record<Op, Partial<Record<Lane, Call>>>;

export async function miniflareLane(options: LaneOptions): Promise<void> {
  console.log(`Miniflare lane. Load average at start: ${loadAverage()}`);
  const api = await startTodoApi();
  const [port] = (await freePorts(1)) as [number];
  const resource = `http://127.0.0.1:${port}/mcp`;
  const client = { id: "mcp-bridge", secret: crypto.randomUUID() };
  const idp = await startIdentityProviderStandIn({ resource, apiAudience: api.url, client });
  let served: Served | undefined;
  try {
    const bundle = await bundleBridge(options.root, options.dir, { issuer: idp.url, resource, api: api.url });
    console.log(`  the bridge bundled by wrangler deploy --dry-run: ${(bundle.bytes / 1024).toFixed(0)} KiB; Todo API ${api.url}, identity provider ${idp.url}`);
    const bindings = { PF_CLIENT_ID: client.id, PF_CLIENT_SECRET: client.secret, TODO_API_BASE_URL: api.url };
    const start = () => serve(bundle, port, bindings, api.url);

    const lister = "bench-lister";
    const creator = "bench-creator";
    const tokens = {
      listerApi: await idp.apiToken(lister, SCOPES),
      creatorApi: await idp.apiToken(creator, SCOPES),
      lister: await idp.clientToken(lister, SCOPES),
      creator: await idp.clientToken(creator, SCOPES),
    };
    for (let i = 0; i < 10; i++) await expect(apiRequest(api.url, "POST", tokens.listerApi), 201);
    const lanes = ({ bridgeUrl, emptyUrl }: Served): Lanes => ({
      list: { empty: () => expect(mcpRequest(`${emptyUrl}/nothing`, tokens.lister, "tools/list", {}), 200), bridge: () => rpc(bridgeUrl, tokens.lister, "tools/list", {}) },
      get: {
        direct: () => expect(apiRequest(api.url, "GET", tokens.listerApi), 200),
        empty: () => expect(apiRequest(emptyUrl, "GET", tokens.listerApi), 200),
        mcpfloor: () => expectJson(mcpRequest(`${emptyUrl}/mcp-floor/GET/api/todos`, tokens.listerApi, "tools/call", { name: "list_todos", arguments: {} }), 200),
        bridge: () => rpc(bridgeUrl, tokens.lister, "tools/call", { name: "list_todos", arguments: {} }),
      },
      post: {
        direct: () => expect(apiRequest(api.url, "POST", tokens.creatorApi), 201),
        empty: () => expect(apiRequest(emptyUrl, "POST", tokens.creatorApi), 201),
        mcpfloor: () => expectJson(mcpRequest(`${emptyUrl}/mcp-floor/POST/api/todos`, tokens.creatorApi, "tools/call", { name: "create_todo", arguments: { todoText: "benchmark todo" } }), 201),
        bridge: () => rpc(bridgeUrl, tokens.creator, "tools/call", { name: "create_todo", arguments: { todoText: "benchmark todo" } }),
      },
    });

    // Cold: each operation's first request in a fresh workerd, the empty Worker's and the bridge's (separate isolates).
    const cold = { empty: emptyRecord(), bridge: emptyRecord() };
    for (let i = 0; i < options.coldStarts; i++) {
      for (const op of OPS) {
        served = await start();
        const l = lanes(served)[op];
        for (const lane of ["empty", "bridge"] as const) {
          const before = served.workerdCpuMs();
          const ms = await timed(l[lane]!);
          cold[lane][op].push({ ms, cpu: served.workerdCpuMs() - before });
        }
        await served.dispose();
        served = undefined;
      }
    }

    served = await start();
    const warm = lanes(served);
    await rpc(served.bridgeUrl, tokens.lister, "initialize", { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bench", version: "1.0.0" } });
    const sequential = {} as Record<Op, Partial<Record<Lane, Figures>>>;
    for (const op of OPS) sequential[op] = await interleaved(warm[op] as Record<string, Call>, options.rounds, options.warmup);
    const cpu = {} as Record<Op, CpuFigures>;
    for (const op of OPS) cpu[op] = await cpuPerCall(served, warm[op], options);
    const concurrent = {} as Record<Op, Partial<Record<Lane, ConcurrentFigures>>>;
    for (const op of OPS) {
      const pooled = new Map<Lane, { samples: number[]; wall: number; cpu: number }>();
      const entries = Object.entries(warm[op]) as [Lane, Call][];
      for (const [lane, call] of [...entries, ...entries]) {
        const before = served.workerdCpuMs();
        const half = await atConcurrency(call, options.concurrency, options.concurrentRequests / 2);
        const cpu = served.workerdCpuMs() - before;
        const so = pooled.get(lane) ?? { samples: [], wall: 0, cpu: 0 };
        pooled.set(lane, { samples: [...so.samples, ...half.samples], wall: so.wall + half.wall, cpu: so.cpu + cpu });
      }
      concurrent[op] = Object.fromEntries(
        [...pooled].map(([lane, { samples, wall, cpu }]) => [lane, { ...figures(samples, wall), cpu: cpu / samples.length }]),
      );
    }
    await served.dispose();
    served = undefined;

    print(options, sequential, cpu, concurrent, cold, idp.exchanges());
  } finally {
    await served?.dispose();
    await Promise.all([api.close(), idp.close()]);
    await rm(options.dir, { recursive: true, force: true });
    console.log(`  Load average at end: ${loadAverage()}`);
  }
}

const CPU_BATCH = 50;

/**
 * Worker CPU per call: batches of CPU_BATCH calls, the empty Worker's and the bridge's in alternating order, so
 * whatever else the machine runs lands on both alike. Per lane the median batch; the bridge's added CPU is the median
 * of the differences between the two batches of each round (paired, so a busy moment counts on both sides).
 */
async function cpuPerCall(served: Served, lanes: Partial<Record<Lane, Call>>, options: LaneOptions): Promise<CpuFigures> {
  const empty = lanes.empty!;
  const bridge = lanes.bridge!;
  for (let i = 0; i < options.warmup; i++) {
    await empty();
    await bridge();
  }
  const batch = async (call: Call) => {
    const before = served.workerdCpuMs();
    for (let i = 0; i < CPU_BATCH; i++) await call();
    return (served.workerdCpuMs() - before) / CPU_BATCH;
  };
  const emptyBatches: number[] = [];
  const bridgeBatches: number[] = [];
  for (let round = 0; round < Math.max(1, Math.round(options.cpuRequests / CPU_BATCH)); round++) {
    if (round % 2 === 0) {
      emptyBatches.push(await batch(empty));
      bridgeBatches.push(await batch(bridge));
    } else {
      bridgeBatches.push(await batch(bridge));
      emptyBatches.push(await batch(empty));
    }
  }
  const median = (values: readonly number[]) => figures(values, 1).p50;
  return { empty: median(emptyBatches), bridge: median(bridgeBatches), added: median(bridgeBatches.map((value, i) => value - emptyBatches[i]!)) };
}

/** Latency and throughput at concurrency, with the Worker CPU per call over the same requests (workerd's threads). */
interface ConcurrentFigures extends Figures {
  cpu: number;
}

interface CpuFigures {
  empty: number;
  bridge: number;
  /** The median of the paired per-round differences. */
  added: number;
}

type ColdSamples = Record<Op, { ms: number; cpu: number }[]>;
const emptyRecord = (): ColdSamples => ({ list: [], get: [], post: [] });

function print(
  options: LaneOptions,
  sequential: Record<Op, Partial<Record<Lane, Figures>>>,
  cpu: Record<Op, CpuFigures>,
  concurrent: Record<Op, Partial<Record<Lane, ConcurrentFigures>>>,
  cold: { empty: ColdSamples; bridge: ColdSamples },
  exchanges: number,
): void {
  const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "".padStart(8) : `${value.toFixed(2).padStart(5)} ms`);
  const rate = (value: number | undefined) => (value === undefined ? "".padStart(7) : `${value.toFixed(0).padStart(5)}/s`);
  const verdict = (value: number, target: number | undefined) => (target === undefined ? "" : value <= target ? ` (target ≤ ${target}: met)` : ` (target ≤ ${target}: NOT met)`);
  console.log(`\n  warm, sequential (${options.rounds} rounds interleaved after ${options.warmup}), Worker CPU per call: median of ${Math.round(options.cpuRequests / CPU_BATCH)} alternating batches of ${CPU_BATCH}
  (added CPU: the median of the rounds' paired differences):`);
  console.log(`    ${"".padEnd(34)} ${"lane".padEnd(8)}      p50      p95  calls/s  Worker CPU`);
  for (const op of OPS) {
    for (const lane of LANES) {
      const f = sequential[op][lane];
      if (!f) continue;
      console.log(`    ${(lane === "direct" || (op === "list" && lane === "empty") ? OP_LABELS[op] : "").padEnd(34)} ${lane.padEnd(8)} ${ms(f.p50)} ${ms(f.p95)} ${rate(f.perSecond)}  ${lane === "empty" || lane === "bridge" ? ms(cpu[op][lane]) : ""}`);
    }
    const added = sequential[op].bridge!.p50 - sequential[op].empty!.p50;
    const addedCpu = cpu[op].added;
    console.log(`    ${"".padEnd(34)} added by the bridge: ${ms(added)} p50${verdict(added, TARGET_LATENCY[op])}, ${ms(addedCpu)} CPU${op === "list" ? "" : verdict(addedCpu, TARGET_CPU)}`);
    const floor = sequential[op].mcpfloor;
    if (floor) {
      const overFloor = sequential[op].bridge!.p50 - floor.p50;
      console.log(`    ${"".padEnd(34)} added over mcpfloor (the same MCP POST): ${ms(overFloor)} p50${verdict(overFloor, TARGET_LATENCY[op])}`);
    }
  }
  console.log(`\n  concurrency ${options.concurrency}, ${options.concurrentRequests} requests per lane (two interleaved halves), Worker CPU per call over them:`);
  console.log(`    ${"".padEnd(34)} ${"lane".padEnd(8)}      p50      p95  calls/s  Worker CPU`);
  for (const op of OPS) {
    for (const lane of LANES) {
      const f = concurrent[op][lane];
      if (f) console.log(`    ${(lane === "direct" || (op === "list" && lane === "empty") ? OP_LABELS[op] : "").padEnd(34)} ${lane.padEnd(8)} ${ms(f.p50)} ${ms(f.p95)} ${rate(f.perSecond)}  ${lane === "direct" ? "" : ms(f.cpu)}`);
    }
    const { bridge, empty, mcpfloor } = concurrent[op] as Record<"bridge" | "empty", ConcurrentFigures> & { mcpfloor?: ConcurrentFigures };
    const overFloor = mcpfloor ? `; over mcpfloor ${ms(bridge.p50 - mcpfloor.p50)} p50, ${ms(bridge.cpu - mcpfloor.cpu)} CPU` : "";
    console.log(`    ${"".padEnd(34)} added by the bridge: ${ms(bridge.p50 - empty.p50)} p50, ${ms(bridge.cpu - empty.cpu)} CPU${overFloor}`);
  }
  console.log(`\n  cold: the first request of an isolate in a fresh workerd, median of ${options.coldStarts} starts (latency, Worker CPU):`);
  for (const op of OPS) {
    const med = (samples: { ms: number; cpu: number }[], key: "ms" | "cpu") => (samples.length === 0 ? NaN : figures(samples.map((s) => s[key]), 1).p50);
    const [emptyMs, emptyCpu, bridgeMs, bridgeCpu] = [med(cold.empty[op], "ms"), med(cold.empty[op], "cpu"), med(cold.bridge[op], "ms"), med(cold.bridge[op], "cpu")];
    console.log(`    ${OP_LABELS[op].padEnd(34)} empty ${ms(emptyMs)} ${ms(emptyCpu)}   bridge ${ms(bridgeMs)} ${ms(bridgeCpu)}   added ${ms(bridgeMs - emptyMs)} ${ms(bridgeCpu - emptyCpu)}`);
  }
  console.log(`  (the identity provider answered ${exchanges} token exchanges: one per fresh isolate and caller, then cached)`);
}

function apiRequest(base: string, method: "GET" | "POST", token: string): Promise<Response> {
  return fetch(`${base}/api/todos`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(method === "POST" && { "content-type": "application/json" }) },
    ...(method === "POST" && { body: JSON.stringify({ todoText: "benchmark todo" }) }),
  });
}

let rpcId = 0;

function mcpRequest(url: string, token: string, method: string, params: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": PROTOCOL,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
  });
}

/** One JSON-RPC request to the bridge's /mcp as the SDK client sends it on the 2025-11-25 lane; throws on any error. */
async function rpc(url: string, token: string, method: string, params: unknown): Promise<void> {
  const response = await mcpRequest(`${url}/mcp`, token, method, params);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method}: ${response.status} ${text.slice(0, 300)}`);
  const data = (response.headers.get("content-type") ?? "").includes("text/event-stream")
    ? text.split("\n").filter((line) => line.startsWith("data:")).at(-1)!.slice(5)
    : text;
  const message = JSON.parse(data) as { error?: unknown; result?: { isError?: boolean } };
  if (message.error || message.result?.isError) throw new Error(`${method}: ${data.slice(0, 300)}`);
}

async function expect(response: Promise<Response>, status: number): Promise<void> {
  await answerText(response, status);
}

/** As `expect`, and the answer parsed as the bridge lane's client parses the bridge's. */
async function expectJson(response: Promise<Response>, status: number): Promise<void> {
  JSON.parse(await answerText(response, status));
}

async function answerText(response: Promise<Response>, status: number): Promise<string> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status !== status) throw new Error(`${answer.url}: ${answer.status} ${text.slice(0, 300)}`);
  return text;
}

export const LANE_DIR = (root: string) => join(root, ".cache", "bench", "miniflare");
