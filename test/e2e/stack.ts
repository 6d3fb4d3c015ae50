/**
 * The end-to-end stack, everything real and on free loopback ports:
 *
 *   MCP client ─▶ bridge Worker (generated from a bridge.yaml for this run, wrangler's unstable_startWorker)
 *                   │ validates the client's JWT (IdP JWKS), exchanges it at the IdP (RFC 8693)
 *                   ▼
 *                 tap (Node: records the Authorization header of every request, forwards it unchanged)
 *                   ▼
 *                 Todo API Worker (examples/todo-api, verifies the exchanged JWT)
 *
 * and the local identity provider (scripts/idp, PingFederate's paths) that both trust. The tap is there so the test
 * can see exactly which tokens reached the API; the bridge reaches it through `TODO_API_BASE_URL` (bridge.yaml's
 * `api.baseUrlEnv`), while `api.baseUrl` and the token audience stay the API's own URL.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Document } from "yaml";
import { unstable_startWorker } from "wrangler";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import { startProxy } from "../../scripts/access/edge.ts";
import { writeBridgeProject as writeProject } from "../../scripts/start/bridge-project.ts";
import { startIdentityProvider, type IdentityProviderStats } from "../../scripts/idp/index.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const E2E_OUT = join(ROOT, ".cache", "e2e");

export interface StackOptions {
  provider: "pingfederate";
  /** Lifetime of the IdP's tokens for the bridge, in seconds (default: the IdP's, 3600). */
  accessTokenTtl?: number;
  /** bridge.yaml `tools.visibility` (default: the repo's bridge.yaml, hide). */
  visibility?: "hide" | "list";
}

export interface Stack {
  /** The identity provider's issuer (= its origin). */
  issuer: string;
  /** The bridge's origin and its canonical MCP URL (`<bridgeUrl>/mcp`, the audience of client tokens). */
  bridgeUrl: string;
  mcpUrl: string;
  /** The Todo API's origin: also the audience of exchanged tokens. */
  apiUrl: string;
  /** The bridge's confidential client at the IdP. */
  bridgeClient: { id: string; secret: string };
  /** The IdP's live counters (token requests, exchanges, registrations, logins). */
  stats: IdentityProviderStats;
  /** `Authorization` header values of every request that reached the Todo API from the bridge, in order. */
  apiAuthorizations: string[];
  /** Where this run's bridge.yaml, generated/ and entry.ts are. */
  dir: string;
  close(): Promise<void>;
}

interface Closer {
  name?: string;
  close(): Promise<void>;
}

/** What a stack started, closed in reverse order by `close`, which reports every failure (`what` names the stack). */
export function closerList(what: string): { closers: Closer[]; close(): Promise<void> } {
  const closers: Closer[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
      } catch (error) {
        errors.push(error);
      }
    }
    closers.length = 0;
    if (errors.length) throw new AggregateError(errors, `closing ${what} failed`);
  };
  return { closers, close };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  if (options.provider !== "pingfederate") throw new Error(`unsupported provider: ${options.provider as string}`);
  const { closers, close } = closerList("the e2e stack");

  try {
    // The bridge's and the API's URLs must be known before anything starts: the IdP puts them in tokens.
    const [bridgePort, apiPort] = (await freePorts(2)) as [number, number];
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    const mcpUrl = `${bridgeUrl}/mcp`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bridgeClient = { id: "mcp-bridge", secret: randomBytes(24).toString("base64url") };

    const idp = await startIdentityProvider({
      port: 0,
      bridgeResource: mcpUrl,
      apiAudience: apiUrl,
      bridgeClient,
      ...(options.accessTokenTtl !== undefined && { accessTokenTtl: options.accessTokenTtl }),
    });
    closers.push({ name: "identity provider", close: () => idp.close() });

    const api = await startWorker({
      config: join(ROOT, "examples/todo-api/wrangler.jsonc"),
      port: apiPort,
      vars: { ISSUER: idp.issuer, JWKS_URL: `${idp.issuer}/pf/JWKS`, AUDIENCE: apiUrl },
    });
    closers.push({ name: "todo api", close: api.close });

    const apiAuthorizations: string[] = [];
    const tap = await startTap(apiUrl, apiAuthorizations);
    closers.push({ name: "tap", close: tap.close });

    const dir = join(E2E_OUT, `${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ name: "run directory", close: () => rm(dir, { recursive: true, force: true }) });
    await writeBridgeProject(dir, { issuer: idp.issuer, resource: mcpUrl, apiUrl, ...(options.visibility && { visibility: options.visibility }) });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify(
        {
          name: "mcp-identity-bridge-e2e",
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          vars: { PF_CLIENT_ID: bridgeClient.id, PF_CLIENT_SECRET: bridgeClient.secret, TODO_API_BASE_URL: tap.url },
        },
        null,
        2,
      ),
    );
    const bridge = await startWorker({ config: join(dir, "wrangler.jsonc"), port: bridgePort, vars: {} });
    closers.push({ name: "bridge", close: bridge.close });

    return { issuer: idp.issuer, bridgeUrl, mcpUrl, apiUrl, bridgeClient, stats: idp.stats, apiAuthorizations, dir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The user's path: the repo's bridge.yaml with this run's URLs (comments kept), `generate()` into generated/, and an
 * entry that does what src/index.ts does with that generated folder.
 */
async function writeBridgeProject(dir: string, urls: { issuer: string; resource: string; apiUrl: string; visibility?: "hide" | "list" }): Promise<void> {
  await writeGeneratedBridge(dir, { apiUrl: urls.apiUrl, run: "" }, (document) => {
    if (urls.visibility) document.setIn(["tools", "visibility"], urls.visibility);
    document.setIn(["identity", "issuer"], urls.issuer);
    document.setIn(["identity", "resource"], urls.resource);
    if (document.hasIn(["upstream", "audience"])) document.setIn(["upstream", "audience"], urls.apiUrl);
    if (document.hasIn(["upstream", "resource"])) document.setIn(["upstream", "resource"], urls.apiUrl);
  });
}

/**
 * Writes a run's bridge project into `dir`: the repo's bridge.yaml (comments kept) with `api.spec` made absolute,
 * `api.baseUrl` = `apiUrl` and whatever `edit` changes, then `generate()` into generated/, and an entry.ts that does
 * what src/index.ts does with that generated folder (`run` names the run in its first comment, e.g. "PingOne ";
 * `resolved` changes the resolved config where the local stand-ins differ from the real provider).
 */
export async function writeGeneratedBridge(
  dir: string,
  options: { apiUrl: string; run: string; resolved?: (config: RuntimeConfig) => RuntimeConfig },
  edit: (document: Document) => void,
): Promise<void> {
  await writeProject({
    root: ROOT,
    dir,
    writtenBy: `The bridge Worker for one ${options.run}e2e run`,
    edit(document) {
      document.setIn(["api", "baseUrl"], options.apiUrl);
      edit(document);
    },
    ...(options.resolved && { resolved: options.resolved }),
  });
}

/**
 * A Worker under `unstable_startWorker` (what `wrangler dev` runs) on a given loopback port, with workerd's own network,
 * or with `outbound` handling every fetch the Worker makes.
 */
export async function startWorker(input: WorkerInput): Promise<{ close(): Promise<void> }> {
  try {
    return await startWorkerOnce(input);
  } catch (error) {
    if (!(error instanceof WorkerNotReady)) throw error;
    // Seen about once in tens of CI runs: wrangler's start never settles, before any request is made (the same file
    // passes alone and on a rerun). One fresh start on the same port, the first one disposed, instead of a failed run.
    return startWorkerOnce(input);
  }
}

interface WorkerInput {
  config: string;
  port: number;
  vars: Record<string, string>;
  outbound?: (request: Request) => Promise<Response>;
}

/** How long one start may take to be ready: a start on this machine takes 2–10 s, even under a full test run. */
const READY_LIMIT_MS = 45_000;

class WorkerNotReady extends Error {}

async function startWorkerOnce(input: WorkerInput): Promise<{ close(): Promise<void> }> {
  const worker = await unstable_startWorker({
    config: input.config,
    bindings: Object.fromEntries(Object.entries(input.vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: {
      server: { hostname: "127.0.0.1", port: input.port },
      inspector: false,
      logLevel: "none",
      watch: false,
      persist: false,
      ...(input.outbound && { outboundService: input.outbound }),
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const notReady = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WorkerNotReady(`${input.config} was not ready within ${READY_LIMIT_MS} ms`)), READY_LIMIT_MS);
    });
    await Promise.race([worker.ready, notReady]);
    const url = await worker.url;
    if (url.port !== String(input.port)) throw new Error(`${input.config} started on ${url.href}, not port ${input.port}`);
  } catch (error) {
    await worker.dispose().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { close: () => worker.dispose() };
}

/** Forwards every request to `target` unchanged and records its Authorization header. */
export { startProxy };

export function startTap(target: string, authorizations: string[]): Promise<{ url: string; close(): Promise<void> }> {
  return startProxy(target, async (headers) => {
    authorizations.push(headers.get("authorization") ?? "");
    return undefined;
  });
}

/** Free loopback ports, all held at once while picking so they differ. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await listen(server, 0);
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
