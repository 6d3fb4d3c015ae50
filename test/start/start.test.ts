/**
 * `npm start` as a user runs it: the real script through npm on the fixed ports (9031, 8787, 8788), each test in its
 * own copy of the project (test/start/project.ts), driven over HTTP, with the official MCP SDK client signing in
 * through the IdP's pages and with the commands the banner prints, then stopped with a terminal's Ctrl-C. Must not run
 * alongside another `npm start` (the ports are fixed).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWithSignIn, HeadlessOAuthProvider, type User } from "../e2e/client.ts";
import { browse as browseWith, TravellingSignIn } from "../e2e/oauth-flow.ts";
import { CookieJar, parseForms, REDIRECT_URI } from "../idp/helpers.ts";
import { isPortFree } from "../../scripts/start/ports.ts";
import { READY_LINE } from "../../scripts/start/banner.ts";
import {
  alive,
  commandLines,
  copyProject,
  descendants,
  exitWithin,
  expectCleanCtrlC,
  npmStart,
  PORTS,
  readDevVars,
  removeProject,
  ROOT,
  run,
  waitForOutput,
  type Run,
} from "./project.ts";

const MCP_URL = "http://127.0.0.1:8788/mcp";
const BRIDGE = "http://127.0.0.1:8788";
const IDP = "http://127.0.0.1:9031";
const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];
const DEMO = { login: "demo", password: "demo" };

const runs: Run[] = [];
const copies: string[] = [];
/** npm start's state in the working tree (if any), as it was before these tests: they must leave it alone. */
let workingTreeState: string;

function snapshot(dir: string): string {
  if (!existsSync(dir)) return "absent";
  const walk = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
      const full = join(path, entry.name);
      return entry.isDirectory() ? walk(full) : [`${full} ${statSync(full).mtimeMs}`];
    });
  return walk(dir).sort().join("\n");
}

beforeAll(() => {
  workingTreeState = snapshot(join(ROOT, ".cache", "start"));
});

afterAll(async () => {
  // Only if a test failed half-way: let the script stop its own children.
  for (const r of runs) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      process.kill(-(r.child.pid as number), "SIGTERM");
      await exitWithin(r, 10_000);
    }
  }
  for (const dir of copies) await removeProject(dir);
});

async function project(): Promise<string> {
  const dir = await copyProject();
  copies.push(dir);
  return dir;
}

function start(dir: string, ...args: string[]): Run {
  const started = npmStart(dir, ...args);
  runs.push(started);
  return started;
}

/** Signs `user` in with the SDK client (DCR + the IdP's pages), then hands the connected client to `use`. */
async function asUser<T>(user: User, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectWithSignIn(MCP_URL, new HeadlessOAuthProvider(user));
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

/**
 * Runs the MCP Inspector command line exactly as the banner prints it, in a shell in `dir`, with a headless browser
 * ($BROWSER) that signs `demo` in where a person would; returns the tool names it listed.
 */
async function runBannerInspectorCommand(output: string, dir: string): Promise<string[]> {
  const line = output.split("\n").find((l) => l.includes("npx @modelcontextprotocol/inspector --cli"));
  expect(line, output).toBeDefined();
  const home = await mkdtemp(join(tmpdir(), "inspector-start-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        "sh",
        ["-c", line!.trim()],
        {
          cwd: dir,
          timeout: 60_000,
          env: {
            ...process.env,
            HOME: home,
            PATH: `${join(dir, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
            BROWSER: join(ROOT, "test", "e2e", "headless-browser.mjs"),
            E2E_BROWSER_LOGIN: "demo",
            E2E_BROWSER_PASSWORD: "demo",
          },
        },
        (error, out, err) => (error ? reject(new Error(`${line}\n${error.message}\n${err}`)) : resolve(out)),
      );
    });
    return ((JSON.parse(stdout) as { tools: { name: string }[] }).tools ?? []).map((tool) => tool.name).sort();
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** `npm run generate -- --check` in `dir`: what it prints (it exits 0 only when generated/ is current). */
function generateCheck(dir: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(join(dir, "node_modules/.bin/node"), ["scripts/generate.ts", "--check"], { cwd: dir }, (error, out, err) =>
      error ? reject(new Error(`${out}${err}`)) : resolve(out),
    ),
  );
}

/** No process's command line holds the secret (or even names the secret variable with a value). */
async function expectSecretOffCommandLines(secretName: string, secret: string): Promise<void> {
  expect(secret.length).toBeGreaterThan(20);
  const lines = await commandLines();
  expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  expect(lines.filter((line) => line.includes(`${secretName}:`) || line.includes(`${secretName}=`))).toEqual([]);
  // The bridge's own wrangler dev is among them, loading its secrets from the file instead.
  expect(lines.some((line) => line.includes("wrangler") && line.includes("--env-file"))).toBe(true);
}

describe("npm start (PingFederate mode, the default)", () => {
  let dir: string;
  const text = `npm start test ${Date.now()}`;

  it("runs the identity provider, the Todo API and the bridge; secrets only in .dev.vars; Ctrl-C through npm exits 0", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    dir = await project();
    const stack = start(dir);
    await waitForOutput(stack, READY_LINE, 50_000);
    const out = stack.output();
    expect(out).toContain("[start] generated/ is up to date with bridge.yaml and the spec");
    expect(out).toContain('{"mcpServers":{"todo":{"command":"npx","args":["mcp-remote","http://127.0.0.1:8788/mcp"]}}}');
    expect(out).toContain("npx mcp-remote http://127.0.0.1:8788/mcp");
    expect(out).toMatch(/\[todo-api\] .*Ready on http:\/\/127\.0\.0\.1:8787/);
    expect(out).toMatch(/\[bridge\] .*Ready on http:\/\/127\.0\.0\.1:8788/);

    // The bridge's protected resource metadata names the local identity provider; /mcp without a token: 401.
    const metadata = (await (await fetch(`${BRIDGE}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: MCP_URL, authorization_servers: [IDP] });
    const mcp = await fetch(MCP_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get("www-authenticate")).toContain(`resource_metadata="${BRIDGE}/.well-known/oauth-protected-resource/mcp"`);
    expect((await fetch("http://127.0.0.1:8787/api/todos")).status).toBe(401);

    // One real flow: DCR + sign-in as demo at the IdP, a todo created through the bridge (a token exchange with the
    // bridge's client secret) and read back.
    await asUser(DEMO, async (client) => {
      expect(await toolNames(client)).toEqual(ALL_TOOLS);
      const created = await client.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      expect(JSON.stringify(await client.callTool({ name: "list_todos", arguments: {} }))).toContain(text);
    });

    // The banner's Inspector command line works as printed: it signs in by itself and lists the tools.
    expect(await runBannerInspectorCommand(out, dir)).toEqual(ALL_TOOLS);

    // The bridge's client secret reached the Worker through .dev.vars (owner-only), never a command line.
    const devVars = await readDevVars(join(dir, ".cache/start/pingfederate/.dev.vars"));
    expect(devVars.mode).toBe(0o600);
    expect(Object.keys(devVars.values)).toEqual(["PF_CLIENT_ID", "PF_CLIENT_SECRET"]);
    await expectSecretOffCommandLines("PF_CLIENT_SECRET", devVars.values["PF_CLIENT_SECRET"]!);

    // Its storage lives in .cache/start/state, not in .wrangler/ folders next to the configs.
    expect(existsSync(join(dir, ".cache/start/state"))).toBe(true);
    expect(existsSync(join(dir, ".wrangler/state"))).toBe(false);
    expect(existsSync(join(dir, "examples/todo-api/.wrangler/state"))).toBe(false);

    await expectCleanCtrlC(stack);
  }, 120_000);

  it("keeps the todos between runs in its state folder", async () => {
    const stack = start(dir);
    await waitForOutput(stack, READY_LINE, 50_000);
    await asUser(DEMO, async (client) => {
      expect(JSON.stringify(await client.callTool({ name: "list_todos", arguments: {} }))).toContain(text);
    });
    await expectCleanCtrlC(stack);
  }, 90_000);

  it("stops the whole stack with exit 1 when a part dies", async () => {
    const stack = start(await project());
    await waitForOutput(stack, READY_LINE, 50_000);
    const children = descendants(stack.child.pid as number);
    const ps = await new Promise<string>((resolve) =>
      execFile("ps", ["-o", "pid=,args=", "-p", children.join(",")], (_, out) => resolve(out)),
    );
    const leader = ps
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line.includes("node_modules/.bin/wrangler dev -c examples/todo-api/wrangler.jsonc"));
    expect(leader, ps).toBeDefined();
    process.kill(Number(leader?.split(/\s+/)[0]), "SIGKILL");
    const exit = await exitWithin(stack, 10_000);
    expect(exit, stack.output().slice(-2000)).toEqual({ code: 1, signal: null });
    expect(stack.output()).toContain("todo-api was killed by SIGKILL unexpectedly");
    expect(children.filter(alive)).toEqual([]);
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} after stop`).toBe(true);
  }, 70_000);

  it("fails fast naming a port that is already taken, and starts nothing", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(8787, "127.0.0.1", ok));
    try {
      const attempt = start(await project());
      const exit = await exitWithin(attempt, 15_000);
      expect(exit, attempt.output()).toEqual({ code: 1, signal: null });
      expect(attempt.output()).toContain("port 8787 is in use (another npm start or wrangler dev?)");
      expect(attempt.output()).not.toMatch(/\[(todo-api|bridge)\]/);
      expect(attempt.output()).not.toContain("port 8788");
      for (const port of [9031, 8788]) expect(await isPortFree(port), `port ${port}`).toBe(true);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  }, 30_000);
});

describe("npm start never runs stale config", () => {
  it("regenerates generated/ when bridge.yaml changed since it was written, and serves what bridge.yaml says now", async () => {
    const dir = await project();
    const yaml = await readFile(join(dir, "bridge.yaml"), "utf8");
    await writeFile(join(dir, "bridge.yaml"), yaml.replace("include: { tags: [todos] }", "include: { tags: [todos] }\n  exclude: { methods: [delete] }"));
    const stack = start(dir);
    await waitForOutput(stack, READY_LINE, 50_000);
    expect(stack.output()).toContain(
      "[start] generated/ did not match bridge.yaml, the spec and the generator (tools.ts, policy.ts, TOOLS.md): regenerated it",
    );
    // What is on disk now is exactly what `npm run generate` writes ...
    expect(await generateCheck(dir)).toContain("generated/ is up to date (7 files)");
    // ... and what the running bridge serves: no delete_todo.
    await asUser(DEMO, async (client) => expect(await toolNames(client)).toEqual(ALL_TOOLS.filter((name) => name !== "delete_todo")));
    await expectCleanCtrlC(stack);
  }, 90_000);

  it("regenerates when the spec changed, or when generated/ is not what the generator writes (a generator update, a hand edit)", async () => {
    const dir = await project();
    // The copy's own module: generated files import src/ relative to the project they are generated in.
    const { refreshGenerated } = (await import(pathToFileURL(join(dir, "scripts/start/refresh-generated.ts")).href)) as typeof import("../../scripts/start/refresh-generated.ts");
    const inside = (change: () => Promise<void>) => async () => {
      await change();
      return refreshGenerated(dir);
    };
    const current = await inside(async () => undefined)();
    expect(current.rewritten).toEqual([]);

    const spec = join(dir, "openapi/todo-api.yaml");
    const specEdited = await inside(async () => writeFile(spec, (await readFile(spec, "utf8")).replace("summary: List your todos", "summary: Show your todos")))();
    expect(specEdited.rewritten.map((file) => file.path.slice(dir.length))).toEqual(["/generated/tools.ts", "/generated/api.ts", "/generated/TOOLS.md"]);
    expect(await readFile(join(dir, "generated/TOOLS.md"), "utf8")).toContain("Show your todos");

    const handEdited = await inside(() => appendFile(join(dir, "generated/policy.ts"), "// edited\n"))();
    expect(handEdited.message).toContain("(policy.ts)");
    const removed = await inside(() => rm(join(dir, "generated/config.ts")))();
    expect(removed.message).toContain("(config.ts (was missing))");
    expect((await inside(async () => undefined)()).rewritten).toEqual([]);
  }, 30_000);

  it("refuses to start with an invalid bridge.yaml: exit 1 with its FILE:LINE:COL errors, nothing started or written", async () => {
    const dir = await project();
    const yaml = (await readFile(join(dir, "bridge.yaml"), "utf8")).replace("provider: pingfederate ", "provider: pingfed ");
    await writeFile(join(dir, "bridge.yaml"), yaml);
    const before = await readFile(join(dir, "generated/config.ts"), "utf8");
    const line = yaml.split("\n").findIndex((l) => l.includes("provider: pingfed ")) + 1;
    const attempt = start(dir);
    const exit = await exitWithin(attempt, 20_000);
    expect(exit, attempt.output()).toEqual({ code: 1, signal: null });
    expect(attempt.output()).toContain(`bridge.yaml:${line}:13: identity.provider: "pingfed" is not valid`);
    expect(attempt.output()).toContain("fix bridge.yaml (or the spec) as the lines above say, then run npm start again; nothing was started");
    expect(attempt.output()).not.toMatch(/\[(idp|todo-api|bridge)\]/);
    expect(await readFile(join(dir, "generated/config.ts"), "utf8")).toBe(before);
    for (const port of PORTS) expect(await isPortFree(port), `port ${port}`).toBe(true);
  }, 30_000);
});

describe("npm start -- --provider …", () => {
  it("pingone: the bridge generated in PingOne mode is the authorization server; sign-in with the SDK and the banner's Inspector command", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    const dir = await project();
    const stack = start(dir, "--provider", "pingone");
    await waitForOutput(stack, READY_LINE, 60_000);
    const out = stack.output();
    expect(out).toContain("in PingOne mode (--provider pingone)");
    expect(out).toContain("(stands in for PingOne)");
    expect(out).toContain("npx mcp-remote http://127.0.0.1:8788/mcp");
    expect(out).toMatch(/\[bridge\] .*env\.OAUTH_KV/);

    // Only bridge.yaml changed: a copy with provider pingone, generated next to it.
    const yaml = await readFile(join(dir, ".cache/start/pingone/bridge.yaml"), "utf8");
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
    const provider = new BridgeSignIn(DEMO);
    const client = await connectWithSignIn(MCP_URL, provider);
    try {
      const trip = provider.trip!;
      expect(trip.consentPages.length, trip.steps.join(" → ")).toBeGreaterThanOrEqual(1);
      expect(trip.consentPages[0]).toContain("e2e MCP client");
      const toIdp = trip.urls.find((url) => url.startsWith(`${IDP}/as/authorization.oauth2`));
      expect(toIdp, trip.steps.join(" → ")).toBeDefined();
      expect(new URL(toIdp!).searchParams.get("resource")).toBe("http://127.0.0.1:8787");
      expect(trip.urls.some((url) => url.startsWith(`${BRIDGE}/oauth/callback`))).toBe(true);

      expect(await toolNames(client)).toEqual(ALL_TOOLS);
      const text = `npm start pingone test ${Date.now()}`;
      const created = await client.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      expect(JSON.stringify(await client.callTool({ name: "list_todos", arguments: {} }))).toContain(text);
    } finally {
      await client.close();
    }

    expect(await runBannerInspectorCommand(out, dir)).toEqual(ALL_TOOLS);
    const devVars = await readDevVars(join(dir, ".cache/start/pingone/.dev.vars"));
    expect(Object.keys(devVars.values)).toEqual(["PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET"]);
    await expectSecretOffCommandLines("PINGONE_CLIENT_SECRET", devVars.values["PINGONE_CLIENT_SECRET"]!);

    await expectCleanCtrlC(stack);
  }, 120_000);

  it("access: the bridge behind a local Access; Access tokens open the tools claim rules grant; the banner's Inspector command works", async () => {
    for (const port of PORTS) expect(await isPortFree(port), `port ${port} must be free before the test`).toBe(true);
    const dir = await project();
    const stack = start(dir, "--provider", "access");
    await waitForOutput(stack, READY_LINE, 60_000);
    const out = stack.output();
    expect(out).toContain("behind Cloudflare Access (--provider access, self-hosted)");
    expect(out).toContain("curl -su demo:demo http://127.0.0.1:9031/cdn-cgi/access/token");
    expect(out).toContain('"args":["mcp-remote","http://127.0.0.1:8788/mcp","--header","cf-access-token:${CF_ACCESS_TOKEN}"]');
    const yaml = await readFile(join(dir, ".cache/start/access/bridge.yaml"), "utf8");
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
      expect(await toolNames(demo)).toEqual(ALL_TOOLS);
      const text = `npm start access test ${Date.now()}`;
      const created = await demo.callTool({ name: "create_todo", arguments: { todoText: text } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      expect(JSON.stringify(await demo.callTool({ name: "list_todos", arguments: {} }))).toContain(text);
      expect(await toolNames(reader)).toEqual(["get_todo", "list_todos"]);
    } finally {
      await demo.close();
      await reader.close();
    }

    expect(await runBannerInspectorCommand(out, dir)).toEqual(ALL_TOOLS);
    await expectCleanCtrlC(stack);
  }, 120_000);

  it("an unknown provider: exit 2 naming the choices, nothing started", async () => {
    const attempt = start(await project(), "--provider", "okta");
    expect(await attempt.exit).toEqual({ code: 2, signal: null });
    expect(attempt.output()).toContain('unknown provider "okta" (expected pingfederate, pingone, access)');
    for (const port of PORTS) expect(await isPortFree(port), `port ${port}`).toBe(true);
  }, 20_000);

  it("--help: the usage, exit 0, nothing started", async () => {
    const attempt = run(ROOT, "npm", ["start", "--silent", "--", "--help"]);
    runs.push(attempt);
    expect(await attempt.exit).toEqual({ code: 0, signal: null });
    expect(attempt.output()).toMatch(/^usage: npm start/);
  }, 20_000);
});

describe("the working tree", () => {
  it("keeps its own npm start state: no test wrote to .cache/start/", () => {
    expect(snapshot(join(ROOT, ".cache", "start"))).toBe(workingTreeState);
  });
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

async function travel(startUrl: string, user: User): Promise<Trip> {
  const jar = new CookieJar();
  const trip: Trip = { urls: [], steps: [], consentPages: [] };
  const browse = (url: string, form?: URLSearchParams) => {
    trip.urls.push(url);
    return browseWith(jar, url, form);
  };
  let url = startUrl;
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
    if (new URL(url).origin === BRIDGE) trip.consentPages.push(html);
    // Every hidden field as the page has it (the bridge's consent form repeats `scope`), plus the login.
    const params = new URLSearchParams(form.pairs);
    if (form.action.endsWith("/login")) {
      params.set("login", user.login);
      params.set("password", user.password);
    }
    url = new URL(form.action, url).href;
    response = await browse(url, params);
  }
  throw new Error(`too many steps: ${trip.steps.join(" → ")}`);
}
