/**
 * The discovery-mode end-to-end stack, everything real and on free loopback ports:
 *
 *   MCP client ─▶ bridge Worker for GitHub's REST API in discovery mode (generated for this run from GitHub's spec,
 *                   │ wrangler's unstable_startWorker), validating the client's JWT, exchanging it at the IdP (RFC 8693)
 *                   ▼
 *                 recorder (Node): stands in for api.github.com, records every request and answers 200 with JSON
 *
 * and the local identity provider (scripts/idp). GitHub's spec declares no scopes; the bridge's scope rules give reads
 * and writes the two scopes the local IdP issues (its demo user holds both, its reader only the read one).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { toGithubDiscoveryBridge } from "../../scripts/corpus/github-bridge.ts";
import { githubSpecPath } from "../../scripts/corpus/github-spec.ts";
import { startIdentityProvider } from "../../scripts/idp/index.ts";
import { closerList, E2E_OUT, freePorts, startWorker, writeGeneratedBridge } from "./stack.ts";

export const READ = "todo_api:read";
export const WRITE = "todo_api:write";

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  authorization: string;
  body: string;
}

export interface GithubStack {
  mcpUrl: string;
  bridgeUrl: string;
  /** The recorder's origin: the API base URL and the audience of exchanged tokens. */
  apiUrl: string;
  /** Every request that reached the stand-in API, in order. */
  recorded: RecordedRequest[];
  close(): Promise<void>;
}

export async function startGithubStack(): Promise<GithubStack> {
  const { closers, close } = closerList("the GitHub discovery stack");
  try {
    const specPath = await githubSpecPath();
    const [bridgePort] = (await freePorts(1)) as [number];
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    const mcpUrl = `${bridgeUrl}/mcp`;
    const recorder = await startRecorder();
    closers.push({ name: "recorder", close: recorder.close });
    const bridgeClient = { id: "mcp-bridge", secret: randomBytes(24).toString("base64url") };
    const idp = await startIdentityProvider({ port: 0, bridgeResource: mcpUrl, apiAudience: recorder.url, bridgeClient });
    closers.push({ name: "identity provider", close: () => idp.close() });

    const dir = join(E2E_OUT, `github-${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ name: "run directory", close: () => rm(dir, { recursive: true, force: true }) });
    await writeGeneratedBridge(dir, { apiUrl: recorder.url, run: "GitHub discovery " }, (document) => {
      document.setIn(["identity", "issuer"], idp.issuer);
      document.setIn(["identity", "resource"], mcpUrl);
      document.setIn(["upstream", "audience"], recorder.url);
      toGithubDiscoveryBridge(document, { specPath, baseUrl: recorder.url, scopes: { read: READ, write: WRITE } });
    });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify({
        name: "mcp-identity-bridge-github-e2e",
        main: "entry.ts",
        compatibility_date: "2026-11-01",
        compatibility_flags: ["nodejs_compat"],
        send_metrics: false,
        vars: { PF_CLIENT_ID: bridgeClient.id, PF_CLIENT_SECRET: bridgeClient.secret },
      }),
    );
    const bridge = await startWorker({ config: join(dir, "wrangler.jsonc"), port: bridgePort, vars: {} });
    closers.push({ name: "bridge", close: bridge.close });
    return { mcpUrl, bridgeUrl, apiUrl: recorder.url, recorded: recorder.recorded, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** Records each request and answers `{ recorded: <n> }` (an object, so any operation's result is structured). */
async function startRecorder(): Promise<{ url: string; recorded: RecordedRequest[]; close(): Promise<void> }> {
  const recorded: RecordedRequest[] = [];
  const server = createServer(async (request, response) => {
    recorded.push({ method: request.method ?? "", url: request.url ?? "", authorization: request.headers.authorization ?? "", body: await bodyOf(request) });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ recorded: recorded.length }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, recorded, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
