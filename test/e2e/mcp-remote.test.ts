/**
 * mcp-remote end to end, exactly as Claude Desktop runs it: `mcp-remote <bridge>/mcp` spawned over stdio with a fresh
 * MCP_REMOTE_CONFIG_DIR and $BROWSER pointing at test/e2e/headless-browser.mjs, which signs `demo` in through the
 * IdP's real login and consent pages and delivers the code to mcp-remote's own callback server. The test then speaks
 * newline-delimited JSON-RPC on its stdin/stdout like a desktop host.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT, startStack, type Stack } from "./stack.ts";

const BIN = join(ROOT, "node_modules", ".bin");
const NODE = join(BIN, "node");
const MCP_REMOTE = join(ROOT, "node_modules", "mcp-remote", "dist", "proxy.js");
const BROWSER = join(ROOT, "test", "e2e", "headless-browser.mjs");
const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];

let stack: Stack;
let configDir: string;
let proxy: StdioPeer | undefined;

beforeAll(async () => {
  stack = await startStack({ provider: "pingfederate" });
  configDir = await mkdtemp(join(tmpdir(), "mcp-remote-e2e-"));
});

afterAll(async () => {
  await proxy?.stop();
  await stack?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

type Message = { jsonrpc: "2.0"; id?: number; method?: string; result?: any; error?: { code: number; message: string } };

/** A child process spoken to in newline-delimited JSON-RPC (the MCP stdio transport). */
class StdioPeer {
  readonly stderr: string[] = [];
  private buffer = "";
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(m: Message): void; reject(e: Error): void }>();
  private readonly exited: Promise<number | null>;
  /** Whether stop() had to signal the process group (stdin EOF alone did not end it). */
  killed = false;

  readonly child: ChildProcessWithoutNullStreams;

  constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (!line) continue;
        const message = JSON.parse(line) as Message;
        if (typeof message.id === "number" && !message.method) this.pending.get(message.id)?.resolve(message);
      }
    });
    child.stderr.on("data", (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    void this.exited.then((code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`mcp-remote exited (${code}):\n${this.log()}`));
    });
  }

  log(): string {
    return this.stderr.join("").slice(-4000);
  }

  request(method: string, params: Record<string, unknown> = {}, timeoutMs = 45_000): Promise<Message> {
    const id = this.nextId++;
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${timeoutMs} ms:\n${this.log()}`)), timeoutMs);
      this.pending.set(id, {
        resolve: (message) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  notify(method: string, params: Record<string, unknown> = {}): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method, params })}\n`);
  }

  /** Closes stdin (how a host ends a stdio server) and waits for the exit; kills the process group if it lingers. */
  async stop(graceMs = 5_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.stdin.end();
    const timeout = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
    let outcome = await Promise.race([this.exited, timeout(graceMs)]);
    if (outcome === "timeout") {
      this.killGroup("SIGTERM");
      outcome = await Promise.race([this.exited, timeout(3_000)]);
      if (outcome === "timeout") {
        this.killGroup("SIGKILL");
        outcome = await this.exited;
      }
    }
    return outcome;
  }

  private killGroup(signal: NodeJS.Signals): void {
    this.killed = true;
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // already gone
    }
  }
}

/** Structured result of a tools/call answer, failing on a JSON-RPC or tool error. */
function structured(answer: Message): any {
  expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
  expect(answer.result.isError, JSON.stringify(answer.result.content)).toBeFalsy();
  return answer.result.structuredContent ?? JSON.parse(answer.result.content[0].text);
}

describe("mcp-remote (Claude Desktop's stdio proxy) against the bridge", () => {
  it("signs demo in through $BROWSER, then initialize → tools/list (5) → create_todo → list_todos over stdio", async () => {
    const browserLog = join(configDir, "browser.log");
    await writeFile(browserLog, "");
    const before = { ...stack.stats };

    const child = spawn(NODE, [MCP_REMOTE, stack.mcpUrl], {
      cwd: ROOT,
      detached: true, // own process group: mcp-remote, its browser helper and the helper's children end together
      env: {
        ...process.env,
        PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
        MCP_REMOTE_CONFIG_DIR: configDir,
        BROWSER,
        E2E_BROWSER_LOGIN: "demo",
        E2E_BROWSER_PASSWORD: "demo",
        E2E_BROWSER_LOG: browserLog,
        // No desktop: the opener must fall back to $BROWSER.
        DISPLAY: "",
        WAYLAND_DISPLAY: "",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    proxy = new StdioPeer(child);

    const init = await proxy.request("initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "e2e-desktop-host", version: "1.0.0" },
    });
    expect(init.error, `${JSON.stringify(init.error)}\n${proxy.log()}`).toBeUndefined();
    expect(init.result.protocolVersion).toBe("2025-11-25");
    expect(init.result.capabilities).toHaveProperty("tools");
    proxy.notify("notifications/initialized");

    // The sign-in really went through the IdP's pages and ended at mcp-remote's local callback with a code.
    const visited = (await readFile(browserLog, "utf8")).trim().split("\n");
    const authorization = new URL(visited[0]!.replace(/^GET /, ""));
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${stack.issuer}/as/authorization.oauth2`);
    expect(authorization.searchParams.get("resource")).toBe(stack.mcpUrl);
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    // Noted before the browser requested it, so before mcp-remote could have the code.
    const delivered = visited.find((line) => line.startsWith("CALLBACK "));
    expect(delivered, visited.join("\n")).toBeDefined();
    const callback = new URL(delivered!.slice("CALLBACK ".length));
    expect(callback.href.startsWith(authorization.searchParams.get("redirect_uri")!)).toBe(true);
    expect(callback.searchParams.get("code")).toBeTruthy();
    // mcp-remote's callback page answered the browser with a success status.
    await vi.waitFor(async () => expect(await readFile(browserLog, "utf8")).toMatch(/^LANDED 2\d\d /m), { timeout: 5_000 });
    expect(stack.stats.registrations - before.registrations).toBe(1);
    expect(stack.stats.logins - before.logins).toBe(1);

    const listed = await proxy.request("tools/list");
    expect(listed.error).toBeUndefined();
    expect(listed.result.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(ALL_TOOLS);

    const created = structured(
      await proxy.request("tools/call", { name: "create_todo", arguments: { todoText: "Ship it via mcp-remote" } }),
    );
    expect(created).toMatchObject({ text: "Ship it via mcp-remote", completed: false });
    const todos = structured(await proxy.request("tools/call", { name: "list_todos", arguments: {} })).todos;
    expect(todos.map((todo: { id: string }) => todo.id)).toContain(created.id);

    // mcp-remote kept its state in this run's MCP_REMOTE_CONFIG_DIR (not ~/.mcp-auth): the IdP's token for the bridge…
    const files = (await readdir(configDir, { recursive: true })).map(String);
    const tokensFile = files.find((file) => file.endsWith("_tokens.json"));
    expect(tokensFile, files.join(", ")).toBeDefined();
    const cached = JSON.parse(await readFile(join(configDir, tokensFile!), "utf8")) as { access_token: string };
    const claims = decodeJwt(cached.access_token);
    expect(claims).toMatchObject({ iss: stack.issuer, aud: stack.mcpUrl, sub: "demo" });
    // …which never reached the API: the bridge called it with exchanged tokens only.
    expect(stack.stats.exchanges - before.exchanges).toBeGreaterThanOrEqual(1);
    expect(stack.apiAuthorizations.length).toBeGreaterThanOrEqual(2);
    expect(stack.apiAuthorizations).not.toContain(`Bearer ${cached.access_token}`);

    // Closing stdin ends the proxy like a host quitting: it exits by itself, cleanly.
    await proxy.stop(10_000);
    expect(proxy.killed).toBe(false);
    expect(child.exitCode).toBe(0);
  });
});
