/**
 * The runtime suite's stack, run from Node: the sample Todo API and the test bridge Worker (test/runtime/worker.ts),
 * each in workerd under wrangler's test harness, plus tokens signed with the global setup's test key
 * (test/todo-api/global-setup.ts) and the official MCP SDK v1 client.
 */
import { fileURLToPath } from "node:url";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { importJWK, SignJWT } from "jose";
import { inject } from "vitest";
import { createTestHarness, unstable_startWorker } from "wrangler";
import { config } from "../../generated/config.ts";
import "../todo-api/provided.ts";
import { exchangeTarget } from "./test-auth.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const context = inject("todoApi");
export const READ = "todo_api:read";
export const WRITE = "todo_api:write";
export const BOTH = `${READ} ${WRITE}`;
/** The bridge's canonical resource (generated/config.ts): the `aud` of client tokens. */
export const RESOURCE = exchangeTarget(config).resource;
export const METADATA_URL = "http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp";

export interface Running {
  /** The origin, on 127.0.0.1 (the bridge allows loopback Host names only). */
  url: string;
  close(): Promise<void>;
}

async function start(worker: { configPath: string; vars: Record<string, string> }): Promise<Running> {
  const harness = createTestHarness({ root: ROOT, workers: [worker] });
  const { url } = await harness.listen();
  const origin = new URL(url);
  origin.hostname = "127.0.0.1";
  return { url: origin.origin, close: () => harness.close() };
}

/** The sample Todo API, trusting the global setup's issuer and key set. */
export function startTodoApi(): Promise<Running> {
  return start({
    configPath: "examples/todo-api/wrangler.jsonc",
    vars: { ISSUER: context.issuer, AUDIENCE: context.audience, JWKS_URL: context.jwksUrl },
  });
}

/** The test bridge Worker calling the API at `apiBaseUrl`. */
export function startBridge(apiBaseUrl: string, vars: Record<string, string> = {}): Promise<Running> {
  return start({
    configPath: "test/runtime/wrangler.jsonc",
    vars: {
      TODO_API_BASE_URL: apiBaseUrl,
      ISSUER: context.issuer,
      JWKS_URL: context.jwksUrl,
      SIGNING_KEY: JSON.stringify(context.keys.current.privateJwk),
      ...vars,
    },
  });
}

/**
 * The test bridge Worker with `api.binding` = TODO_API (test/runtime/wrangler.binding.jsonc) and the sample Todo API
 * bound to it, both Workers in one test harness: the bridge is served on `url`, the API is reached only through the
 * binding (`apiFetch` dispatches to it directly, for the test to look at what it stored).
 */
export async function startBridgeWithBinding(vars: Record<string, string> = {}): Promise<Running & { apiFetch: (path: string, headers?: Record<string, string>) => Promise<Response> }> {
  const harness = createTestHarness({
    root: ROOT,
    workers: [
      {
        configPath: "test/runtime/wrangler.binding.jsonc",
        vars: { ISSUER: context.issuer, JWKS_URL: context.jwksUrl, SIGNING_KEY: JSON.stringify(context.keys.current.privateJwk), ...vars },
      },
      {
        configPath: "examples/todo-api/wrangler.jsonc",
        vars: { ISSUER: context.issuer, AUDIENCE: context.audience, JWKS_URL: context.jwksUrl },
      },
    ],
  });
  const { url } = await harness.listen();
  const origin = new URL(url);
  origin.hostname = "127.0.0.1";
  const api = harness.getWorker("todo-api");
  return {
    url: origin.origin,
    apiFetch: async (path, headers = {}) => {
      const response = await api.fetch(`http://todo-api.test${path}`, { headers });
      return new Response(await response.arrayBuffer(), { status: response.status, headers: [...response.headers] });
    },
    close: () => harness.close(),
  };
}

/**
 * The test bridge Worker under `unstable_startWorker` (what `wrangler dev` runs) instead of the test harness. The
 * harness sends a Worker's outbound fetches through Node's fetch (its `outboundService`), which follows redirects,
 * turns network errors into 500 responses and does not pass aborts on; here workerd's own network stack is used, so
 * timeouts, redirects and dropped connections behave as deployed.
 */
export async function startBridgeDirect(apiBaseUrl: string, vars: Record<string, string> = {}): Promise<Running> {
  const values: Record<string, string> = {
    TODO_API_BASE_URL: apiBaseUrl,
    ISSUER: context.issuer,
    JWKS_URL: context.jwksUrl,
    SIGNING_KEY: JSON.stringify(context.keys.current.privateJwk),
    ...vars,
  };
  const worker = await unstable_startWorker({
    config: `${ROOT}test/runtime/wrangler.jsonc`,
    bindings: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, logLevel: "none", watch: false, persist: false },
  });
  await worker.ready;
  const url = await worker.url;
  return { url: url.origin, close: () => worker.dispose() };
}

export function newUser(): string {
  return `user-${crypto.randomUUID()}`;
}

export interface TokenOptions {
  sub?: string;
  scope?: string;
  aud?: string;
  expiresIn?: number;
}

/** A client access token for the bridge (aud = its resource), or for another audience. */
export async function signToken(options: TokenOptions = {}): Promise<string> {
  const key = context.keys.current;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: options.scope ?? BOTH })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "at+jwt" })
    .setIssuer(context.issuer)
    .setAudience(options.aud ?? RESOURCE)
    .setSubject(options.sub ?? newUser())
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(await importJWK(key.privateJwk, "RS256"));
}

/**
 * Everything the bridge said over HTTP to this test file (status, headers, body of every response to `connect`ed
 * clients and `rpc`/`send` calls), for the credential leak check.
 */
const recorded: Promise<string>[] = [];

export async function transcript(): Promise<string> {
  return (await Promise.all(recorded)).join("\n");
}

/** fetch, recording the response (read from a clone, so the caller's stream is untouched). */
export const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const head = `${response.status} ${[...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n")}`;
  recorded.push(response.clone().text().then((body) => `${head}\n\n${body}`, () => head));
  return response;
};

/** The official SDK v1 client, connected to `<bridge>/mcp` with the token. */
export async function connect(bridgeUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: "runtime-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${bridgeUrl}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
    fetch: recordingFetch,
  });
  await client.connect(transport);
  return client;
}

/**
 * The official SDK v2 client pinned to protocol revision 2026-07-28 (no initialize; every request carries the
 * `_meta` envelope), connected to `<bridge>/mcp` with the token.
 */
export async function connectModern(bridgeUrl: string, token: string): Promise<ModernClient> {
  const client = new ModernClient({ name: "runtime-test-2026", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  await client.connect(
    new ModernTransport(new URL(`${bridgeUrl}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
      fetch: recordingFetch,
    }),
  );
  return client;
}

/** A JSON-RPC request to `<bridge>/mcp` as the SDK client would POST it (2025-11-25, stateless: no session). */
export function rpc(
  bridgeUrl: string,
  body: unknown,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-11-25",
    ...options.headers,
  };
  if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
  return recordingFetch(`${bridgeUrl}/mcp`, { method: "POST", headers, body: JSON.stringify(body) });
}

/** The JSON-RPC message of a response, sent as JSON or as one SSE `data:` event. */
export async function rpcResult(response: Response): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const text = await response.text();
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const data = text
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trim())
      .filter((line) => line !== "");
    return JSON.parse(data.at(-1) ?? "{}");
  }
  return JSON.parse(text);
}

export function toolCall(name: string, args: Record<string, unknown>, id: number | string = 1): unknown {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

export interface LeakReport {
  /** Characters searched: every recorded bridge response plus the bridge's log lines. */
  searched: number;
  logLines: number;
  /** Upstream tokens the test adapter minted (each a new JWT), and how many of them appear anywhere. */
  minted: number;
  mintedFound: number;
  /** Client tokens (whole or their signature) that appear anywhere. */
  clientFound: number;
  /** Other tokens the test captured (e.g. at a fake upstream) that appear anywhere. */
  otherFound: number;
  /** Anything shaped like a JWT (none is expected in any response or log line). */
  jwtShaped: string[];
}

/** Searches everything the bridge said and logged for credentials. */
export async function leakReport(bridgeUrl: string, clientTokens: readonly string[], otherTokens: readonly string[] = []): Promise<LeakReport> {
  const logs = (await (await fetch(`${bridgeUrl}/__test/logs`)).json()) as { lines: string[] };
  const haystack = `${await transcript()}\n${logs.lines.join("\n")}`;
  const scan = (await (await fetch(`${bridgeUrl}/__test/scan`, { method: "POST", body: haystack })).json()) as { minted: number; found: number };
  const appears = (token: string) => haystack.includes(token) || haystack.includes(token.split(".")[2]!);
  return {
    searched: haystack.length,
    logLines: logs.lines.length,
    minted: scan.minted,
    mintedFound: scan.found,
    clientFound: clientTokens.filter(appears).length,
    otherFound: otherTokens.filter(appears).length,
    jwtShaped: haystack.match(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g) ?? [],
  };
}

/** How many upstream tokens the bridge has minted so far (one per upstream call). */
export async function mintedCount(bridgeUrl: string): Promise<number> {
  return ((await (await fetch(`${bridgeUrl}/__test/tokens`)).json()) as { count: number }).count;
}
