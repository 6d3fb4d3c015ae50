/**
 * mcp-remote (what Claude Desktop runs for a remote MCP server) spoken to over stdio like a desktop host: spawned with
 * a fresh MCP_REMOTE_CONFIG_DIR and $BROWSER pointing at test/e2e/headless-browser.mjs, which signs the given user in
 * through the real pages and delivers the code to mcp-remote's own callback server. Newline-delimited JSON-RPC.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { ROOT } from "./stack.ts";

const BIN = join(ROOT, "node_modules", ".bin");
const NODE = join(BIN, "node");
const MCP_REMOTE = join(ROOT, "node_modules", "mcp-remote", "dist", "proxy.js");
const BROWSER = join(ROOT, "test", "e2e", "headless-browser.mjs");

export type Message = { jsonrpc: "2.0"; id?: number; method?: string; result?: any; error?: { code: number; message: string } };

/** A child process spoken to in newline-delimited JSON-RPC (the MCP stdio transport). */
export class StdioPeer {
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


export interface McpRemoteRun {
  readonly peer: StdioPeer;
  readonly child: ChildProcessWithoutNullStreams;
  /** The headless browser's log: one line per page (`GET <url>`), `CALLBACK <url>`, `LANDED <status> <url>`. */
  readonly browserLog: string;
  /** The authorization URLs the browser was sent to, in order. */
  authorizationUrls(): Promise<URL[]>;
}

export interface McpRemoteOptions {
  /** A fresh directory: mcp-remote keeps its tokens there. */
  configDir: string;
  login?: string;
  password?: string;
  /** Extra arguments after the URL (e.g. `--header`). */
  args?: readonly string[];
  /**
   * Scopes the browser asks for on the first sign-in only, instead of what mcp-remote asked (a client, or a user,
   * that takes less than everything at first: "signed in with read only").
   */
  firstScope?: string;
}

/** Spawns `mcp-remote <mcpUrl>` in its own process group (it, its browser helper and their children end together). */
export async function startMcpRemote(mcpUrl: string, options: McpRemoteOptions): Promise<McpRemoteRun> {
  const browserLog = join(options.configDir, "browser.log");
  await writeFile(browserLog, "");
  const firstScope = join(options.configDir, "first-scope");
  if (options.firstScope !== undefined) await writeFile(firstScope, options.firstScope);
  const child = spawn(NODE, [MCP_REMOTE, mcpUrl, ...(options.args ?? [])], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
      MCP_REMOTE_CONFIG_DIR: options.configDir,
      BROWSER,
      E2E_BROWSER_LOGIN: options.login ?? "demo",
      E2E_BROWSER_PASSWORD: options.password ?? options.login ?? "demo",
      E2E_BROWSER_LOG: browserLog,
      ...(options.firstScope !== undefined && { E2E_BROWSER_FIRST_SCOPE: firstScope }),
      // No desktop: the opener must fall back to $BROWSER.
      DISPLAY: "",
      WAYLAND_DISPLAY: "",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return {
    peer: new StdioPeer(child),
    child,
    browserLog,
    async authorizationUrls() {
      const lines = (await readFile(browserLog, "utf8")).split("\n");
      // The first page of each sign-in: the URL $BROWSER was called with.
      return lines.filter((line) => line.startsWith("START ")).map((line) => new URL(line.slice("START ".length)));
    },
  };
}

/** initialize + notifications/initialized, as a desktop host starts a server; the initialize answer. */
export async function initialize(peer: StdioPeer): Promise<Message> {
  const init = await peer.request("initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "e2e-desktop-host", version: "1.0.0" },
  });
  peer.notify("notifications/initialized");
  return init;
}
