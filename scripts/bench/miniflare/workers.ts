/**
 * The Miniflare lane's Workers: the bridge bundled as `wrangler deploy` bundles it (the real src/index.ts entry, a
 * generated config for this run's stand-ins), and an empty Worker (the hop floor), both served by Miniflare's own
 * listeners with no wrangler dev proxy in front and no inspector attached. Each Worker gets a direct socket of its own
 * (Miniflare's `unsafeDirectSockets`): workerd's HTTP listener hands the request straight to the Worker, as the edge
 * does in production, instead of through Miniflare's entry Worker (a JavaScript router and a service-binding hop
 * that every request, the floor's too, would otherwise pay).
 *
 *   bridge   POST /mcp            the bridge
 *   empty    POST /nothing        answers `{}` at once: what any Worker request costs, the floor of tools/list
 *            *    /api/...        forwards the request to the API unchanged: what any Worker that calls the API
 *                                 costs, the floor of a tool call
 *            POST /mcp-floor/<METHOD>/api/...
 *                                 takes the tool call's own MCP POST (its JSON-RPC body read, as any MCP server must)
 *                                 and makes the tool's API request (for a body, the call's arguments as JSON): the
 *                                 floor of a tool call for any MCP server on Workers, whose client must POST the
 *                                 JSON-RPC message where a plain API client sends a bodiless GET
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { writeBridgeProject } from "../../start/bridge-project.ts";
import { processStats, threadCpuNanos } from "../../proc.ts";

const run = promisify(execFile);

export interface BridgeBundle {
  /** The bundled entry module (`wrangler deploy --dry-run --outdir`). */
  scriptPath: string;
  bytes: number;
}

/** The repo's bridge.yaml pointed at this run's stand-ins, generated, and bundled by wrangler as for deploy. */
export async function bundleBridge(root: string, dir: string, urls: { issuer: string; resource: string; api: string }): Promise<BridgeBundle> {
  await writeBridgeProject({
    root,
    dir,
    writtenBy: "The bridge Worker of npm run bench:runtime's Miniflare lane",
    edit(document) {
      document.setIn(["api", "baseUrl"], urls.api);
      document.setIn(["identity", "issuer"], urls.issuer);
      document.setIn(["identity", "resource"], urls.resource);
      document.setIn(["upstream", "audience"], urls.api);
    },
  });
  await writeFile(
    join(dir, "wrangler.jsonc"),
    JSON.stringify({ name: "mcp-identity-bridge-bench", main: "entry.ts", compatibility_date: COMPATIBILITY_DATE, compatibility_flags: FLAGS, send_metrics: false }),
  );
  const outdir = join(dir, "dist");
  await mkdir(outdir, { recursive: true });
  const { stdout } = await run(process.execPath, [join(root, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "-c", join(dir, "wrangler.jsonc")], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const size = /Total Upload: ([\d.]+) KiB/.exec(stdout)?.[1];
  return { scriptPath: join(outdir, "entry.js"), bytes: size === undefined ? NaN : Number(size) * 1024 };
}

const COMPATIBILITY_DATE = "2026-11-01";
const FLAGS = ["nodejs_compat"];

const EMPTY_WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/nothing") return Response.json({});
    if (url.pathname.startsWith("/mcp-floor/")) {
      const message = await request.json();
      const [method, ...path] = url.pathname.slice("/mcp-floor/".length).split("/");
      const body = method === "GET" ? undefined : JSON.stringify(message.params.arguments);
      const headers = { authorization: request.headers.get("authorization"), accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      return fetch(env.API_URL + "/" + path.join("/"), { method, headers, body });
    }
    const target = env.API_URL + url.pathname + url.search;
    return fetch(target, { method: request.method, headers: request.headers, body: request.body });
  },
};
`;

export interface Served {
  /** The bridge's origin (its resource is `<bridgeUrl>/mcp`) and the empty Worker's. */
  bridgeUrl: string;
  emptyUrl: string;
  /** CPU time workerd's threads have used so far, in ms (schedstat, ns precision). */
  workerdCpuMs(): number;
  dispose(): Promise<void>;
}

/** Both Workers in one fresh workerd process (so fresh isolates), the bridge on `bridgePort`. */
export async function serve(bundle: BridgeBundle, bridgePort: number, bindings: Record<string, string>, apiUrl: string): Promise<Served> {
  const before = new Set(workerdPids());
  // Miniflare 5 takes per-Worker `config` objects; its converter accepts the v4 shape wrangler's docs still show.
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    // The bridge logs every tool call (one JSON line, as deployed); workerd still writes it, the bench does not print it.
    handleStructuredLogs: () => {},
    logRequests: false,
    workers: [
      {
        name: "bridge",
        modules: true,
        scriptPath: bundle.scriptPath,
        // Module names relative to the bundle's folder, wherever the bench runs from.
        modulesRoot: dirname(bundle.scriptPath),
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: FLAGS,
        bindings,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: bridgePort }],
      },
      {
        name: "empty",
        modules: true,
        script: EMPTY_WORKER,
        compatibilityDate: COMPATIBILITY_DATE,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        bindings: { API_URL: apiUrl },
      },
    ],
  }));
  await mf.ready;
  const bridgeUrl = (await mf.unsafeGetDirectURL("bridge")).origin;
  const emptyUrl = (await mf.unsafeGetDirectURL("empty")).origin;
  const pids = workerdPids().filter((pid) => !before.has(pid));
  if (pids.length !== 1) {
    await mf.dispose();
    throw new Error(`expected one new workerd process for Miniflare, found ${pids.length}`);
  }
  const pid = pids[0]!;
  return {
    bridgeUrl,
    emptyUrl,
    workerdCpuMs: () => (threadCpuNanos(pid) ?? NaN) / 1e6,
    dispose: () => mf.dispose(),
  };
}

/** The workerd processes this Node process started (Miniflare spawns workerd as its direct child). */
function workerdPids(): number[] {
  return (processStats() ?? []).filter((stat) => stat.name === "workerd" && stat.parentPid === process.pid).map((stat) => stat.pid);
}
