/**
 * `npm start` as a user runs it: the real script on the fixed ports (9031, 8787, 8788), driven over HTTP and with the
 * official MCP SDK client signing in through the IdP's pages, then stopped with SIGINT. Must not run alongside
 * another `npm start` (the ports are fixed).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, describe, expect, it } from "vitest";
import { connectWithSignIn, HeadlessOAuthProvider, type User } from "../e2e/client.ts";
import { browse as browseWith, TravellingSignIn } from "../e2e/oauth-flow.ts";
import { CookieJar, parseForms, REDIRECT_URI } from "../idp/helpers.ts";
import { isPortFree } from "../../scripts/start/ports.ts";
import { READY_LINE } from "../../scripts/start/banner.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = resolve(ROOT, "scripts/start/main.ts");
const PORTS = [9031, 8787, 8788];
const MCP_URL = "http://127.0.0.1:8788/mcp";
const BRIDGE = "http://127.0.0.1:8788";
const IDP = "http://127.0.0.1:9031";

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[]): Run {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, START_TIMEOUT_MS: "45000" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

async function waitForOutput(run: Run, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) throw new Error(`npm start exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every descendant of `pid` (from ps), to check none outlives the stack. */
function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false; // ps exits 1 when the pid is gone
  }
}

/** Ctrl-C: exit 0 within 8 s, no descendant left, every fixed port free again. */
async function expectCleanCtrlC(stack: Run): Promise<void> {
  const children = descendants(stack.child.pid as number);
  stack.child.kill("SIGINT");
  const exit = await Promise.race([stack.exit, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 8_000))]);
  expect(exit, stack.output().slice(-2000)).toEqual({ code: 0, signal: null });
  expect(children.filter(alive)).toEqual([]);
  for (const port of PORTS) expect(await isPortFree(port), `port ${port} after stop`).toBe(true);
}

const runs: Run[] = [];
afterAll(async () => {
  // Only if a test failed half-way: let the script stop its own children.
  for (const r of runs) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill("SIGTERM");
      await Promise.race([r.exit, new Promise((x) => setTimeout(x, 10_000))]);
    }
  }
});

describe("npm start", () => {
  it("runs the identity provider, the Todo API and the bridge together, and stops them all on Ctrl-C", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    const stack = run(process.execPath, [MAIN]);
    runs.push(stack);
    await waitForOutput(stack, READY_LINE, 50_000);
    const out = stack.output();
    expect(out).toContain(MCP_URL);
    expect(out).toContain('{"mcpServers":{"todo":{"command":"npx","args":["mcp-remote","http://127.0.0.1:8788/mcp"]}}}');
    expect(out).toContain("npx mcp-remote http://127.0.0.1:8788/mcp");
    expect(out).toContain("npx @modelcontextprotocol/inspector");
    expect(out).toMatch(/\[todo-api\] .*Ready on http:\/\/127\.0\.0\.1:8787/);
    expect(out).toMatch(/\[bridge\] .*Ready on http:\/\/127\.0\.0\.1:8788/);

    // The bridge's protected resource metadata names the local identity provider.
    const prm = await fetch("http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp");
    expect(prm.status).toBe(200);
    const metadata = (await prm.json()) as { resource: string; authorization_servers: string[] };
    expect(metadata.resource).toBe(MCP_URL);
    expect(metadata.authorization_servers).toEqual(["http://127.0.0.1:9031"]);

    // /mcp without a token: 401 pointing at that metadata.
    const mcp = await fetch(MCP_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get("www-authenticate")).toContain('resource_metadata="http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp"');

    // The Todo API wants a token too.
    expect((await fetch("http://127.0.0.1:8787/api/todos")).status).toBe(401);

    // One real flow: DCR + sign-in as demo at the IdP, tools, a todo created through the bridge and read back.
    const client = await connectWithSignIn(MCP_URL, new HeadlessOAuthProvider({ login: "demo", password: "demo" }));
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(5);
      const text = `npm start test ${Date.now()}`;
      const created = await client.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      const listed = await client.callTool({ name: "list_todos", arguments: {} });
      expect(listed.isError ?? false, JSON.stringify(listed)).toBe(false);
      expect(JSON.stringify(listed)).toContain(text);
    } finally {
      await client.close();
    }

    // Ctrl-C: exit 0 within seconds, nothing left behind, ports free again.
    const children = descendants(stack.child.pid as number);
    expect(children.length).toBeGreaterThanOrEqual(4); // 2 × (wrangler shim, wrangler) plus workerd
    const stopping = Date.now();
    stack.child.kill("SIGINT");
    const exit = await Promise.race([stack.exit, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 8_000))]);
    expect(exit, stack.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(8_000);
    expect(children.filter(alive)).toEqual([]);
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} after stop`).toBe(true);
  }, 90_000);

  it("stops the whole stack with exit 1 when a part dies", async () => {
    const stack = run(process.execPath, [MAIN]);
    runs.push(stack);
    await waitForOutput(stack, READY_LINE, 50_000);
    const children = descendants(stack.child.pid as number);
    const ps = execFileSync("ps", ["-o", "pid=,args=", "-p", children.join(",")], { encoding: "utf8" });
    const leader = ps
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line.includes("node_modules/.bin/wrangler dev -c examples/todo-api/wrangler.jsonc"));
    expect(leader, ps).toBeDefined();
    process.kill(Number(leader?.split(/\s+/)[0]), "SIGKILL");
    const exit = await Promise.race([stack.exit, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000))]);
    expect(exit, stack.output().slice(-2000)).toEqual({ code: 1, signal: null });
    expect(stack.output()).toContain("todo-api was killed by SIGKILL unexpectedly");
    expect(children.filter(alive)).toEqual([]);
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} after stop`).toBe(true);
  }, 70_000);

  it("fails fast naming a port that is already taken, and starts nothing", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(8787, "127.0.0.1", ok));
    try {
      const started = Date.now();
      const attempt = run("npm", ["start", "--silent"]);
      runs.push(attempt);
      const exit = await Promise.race([attempt.exit, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000))]);
      expect(exit, attempt.output()).toEqual({ code: 1, signal: null });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(attempt.output()).toContain("port 8787 is in use (another npm start or wrangler dev?)");
      expect(attempt.output()).not.toMatch(/\[(todo-api|bridge)\]/);
      expect(attempt.output()).not.toContain("port 8788");
      for (const port of [9031, 8788]) expect(await isPortFree(port), `port ${port}`).toBe(true);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  }, 30_000);

  it("--provider pingone: the bridge generated in PingOne mode is the authorization server; one real sign-in flow", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    const stack = run(process.execPath, [MAIN, "--provider", "pingone"]);
    runs.push(stack);
    await waitForOutput(stack, READY_LINE, 60_000);
    const out = stack.output();
    expect(out).toContain("in PingOne mode (--provider pingone)");
    expect(out).toContain("(stands in for PingOne)");
    expect(out).toContain('{"mcpServers":{"todo":{"command":"npx","args":["mcp-remote","http://127.0.0.1:8788/mcp"]}}}');
    expect(out).toContain("npx mcp-remote http://127.0.0.1:8788/mcp");
    expect(out).toMatch(/\[bridge\] .*env\.OAUTH_KV/);

    // Only bridge.yaml changed: a copy with provider pingone, generated next to it.
    const yaml = readFileSync(resolve(ROOT, ".cache/start/pingone/bridge.yaml"), "utf8");
    expect(yaml).toContain("provider: pingone");
    expect(yaml).toContain("credentials: upstream-token");

    // The bridge serves the authorization server metadata itself (issuer = the bridge), and its PRM points at itself.
    const as = (await (await fetch(`${BRIDGE}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: BRIDGE,
      authorization_endpoint: `${BRIDGE}/authorize`,
      token_endpoint: `${BRIDGE}/oauth/token`,
      registration_endpoint: `${BRIDGE}/oauth/register`,
    });
    const prm = (await (await fetch(`${BRIDGE}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(prm).toMatchObject({ resource: MCP_URL, authorization_servers: [BRIDGE] });

    // One real flow: the SDK client registers at the bridge, the browser approves the bridge's consent page, signs in
    // as demo at the IdP (asked for resource = the Todo API), comes back through the bridge's callback; tools work.
    const provider = new BridgeSignIn({ login: "demo", password: "demo" });
    const client = await connectWithSignIn(MCP_URL, provider);
    try {
      const trip = provider.trip!;
      expect(trip.consentPages.length, trip.steps.join(" → ")).toBeGreaterThanOrEqual(1);
      expect(trip.consentPages[0]).toContain("e2e MCP client");
      const toIdp = trip.urls.find((url) => url.startsWith(`${IDP}/as/authorization.oauth2`));
      expect(toIdp, trip.steps.join(" → ")).toBeDefined();
      expect(new URL(toIdp!).searchParams.get("resource")).toBe("http://127.0.0.1:8787");
      expect(trip.urls.some((url) => url.startsWith(`${BRIDGE}/oauth/callback`))).toBe(true);

      const { tools } = await client.listTools();
      expect(tools).toHaveLength(5);
      const text = `npm start pingone test ${Date.now()}`;
      const created = await client.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      const listed = await client.callTool({ name: "list_todos", arguments: {} });
      expect(listed.isError ?? false, JSON.stringify(listed)).toBe(false);
      expect(JSON.stringify(listed)).toContain(text);
    } finally {
      await client.close();
    }

    await expectCleanCtrlC(stack);
  }, 90_000);

  it("--provider access: the bridge behind a local Access; Access tokens from the team open the tools claim rules grant", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    const stack = run(process.execPath, [MAIN, "--provider", "access"]);
    runs.push(stack);
    await waitForOutput(stack, READY_LINE, 60_000);
    const out = stack.output();
    expect(out).toContain("behind Cloudflare Access (--provider access, self-hosted)");
    expect(out).toContain("curl -su demo:demo http://127.0.0.1:9031/cdn-cgi/access/token");
    expect(out).toContain('"args":["mcp-remote","http://127.0.0.1:8788/mcp","--header","cf-access-token:${CF_ACCESS_TOKEN}"]');
    const yaml = readFileSync(resolve(ROOT, ".cache/start/access/bridge.yaml"), "utf8");
    expect(yaml).toContain("provider: access");
    expect(yaml).toContain("credentials: access-linked-app");

    // What the banner's curl does: the team's token for a demo account; a wrong password gets none.
    const accessToken = async (login: string, password = login) => {
      const response = await fetch(`${IDP}/cdn-cgi/access/token`, { headers: { authorization: `Basic ${btoa(`${login}:${password}`)}` } });
      return { status: response.status, token: (await response.text()).trim() };
    };
    expect((await accessToken("demo", "wrong")).status).toBe(401);
    // Without an Access token the edge lets nothing through to the bridge.
    const refused = await fetch(MCP_URL, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(403);

    const connect = async (login: string) => {
      const client = new Client({ name: "npm start access test", version: "1.0.0" });
      const { token } = await accessToken(login);
      await client.connect(new StreamableHTTPClientTransport(new URL(MCP_URL), { requestInit: { headers: { "cf-access-token": token } } }));
      return client;
    };
    const demo = await connect("demo");
    const reader = await connect("reader");
    try {
      expect((await demo.listTools()).tools).toHaveLength(5);
      const text = `npm start access test ${Date.now()}`;
      const created = await demo.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      expect(JSON.stringify(await demo.callTool({ name: "list_todos", arguments: {} }))).toContain(text);
      expect((await reader.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["get_todo", "list_todos"]);
    } finally {
      await demo.close();
      await reader.close();
    }

    await expectCleanCtrlC(stack);
  }, 90_000);

  it("an unknown provider: exit 2 naming the choices, nothing started", async () => {
    const attempt = run(process.execPath, [MAIN, "--provider", "okta"]);
    runs.push(attempt);
    expect(await attempt.exit).toEqual({ code: 2, signal: null });
    expect(attempt.output()).toContain('unknown provider "okta" (expected pingfederate, pingone, access)');
    for (const port of PORTS) expect(await isPortFree(port), `port ${port}`).toBe(true);
  }, 20_000);
});

/** Where a headless browser went: every URL, a step per response, and the bridge's consent pages it approved. */
interface Trip {
  landing?: URL;
  urls: string[];
  steps: string[];
  consentPages: string[];
}

/**
 * The SDK client's "browser" in PingOne mode: follows redirects across the bridge and the IdP, approves the bridge's
 * consent page (all scopes shown), fills the IdP's login form, submits its consent, and stops at the client's
 * redirect URI (as test/e2e/pingone.test.ts does).
 */
class BridgeSignIn extends TravellingSignIn<Trip> {
  constructor(who: User) {
    super(who, travel);
  }
}

async function travel(start: string, user: User): Promise<Trip> {
  const jar = new CookieJar();
  const trip: Trip = { urls: [], steps: [], consentPages: [] };
  const browse = (url: string, form?: URLSearchParams) => {
    trip.urls.push(url);
    return browseWith(jar, url, form);
  };
  let url = start;
  let response = await browse(url);
  for (let step = 0; step < 25; step++) {
    trip.steps.push(`${response.status} ${new URL(url).origin === BRIDGE ? "bridge" : "idp"} ${new URL(url).pathname}`);
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) {
        trip.landing = next;
        return trip;
      }
      url = next.href;
      response = await browse(url);
      continue;
    }
    const html = await response.text();
    const form = parseForms(html).find((f) => f.method.toLowerCase() === "post");
    if (response.status !== 200 || !form) throw new Error(`sign-in stopped at ${response.status} ${url}: ${html.slice(0, 500)}`);
    const fromBridge = new URL(url).origin === BRIDGE;
    if (fromBridge) trip.consentPages.push(html);
    const fields = form.action.endsWith("/login") ? { ...form.fields, login: user.login, password: user.password } : form.fields;
    url = new URL(form.action, url).href;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) params.append(name, value);
    // parseForms keeps one value per name: re-add the bridge page's repeated hidden `scope` fields.
    if (fromBridge) {
      params.delete("scope");
      for (const [, scope] of html.matchAll(/name="scope" value="([^"]*)"/g)) params.append("scope", scope!);
    }
    response = await browse(url, params);
  }
  throw new Error(`too many steps: ${trip.steps.join(" → ")}`);
}
