/**
 * The three real clients of the step-up end-to-end tests (step-up-*.test.ts), each driven as its users run it:
 *
 *   sdkSession      the official SDK client (@modelcontextprotocol/client 2.x, the SDK mcp-remote is built on), with an
 *                   OAuthClientProvider whose "browser" signs in through the real pages; after a sign-in the app
 *                   finishes it and repeats the call, as the SDK documents
 *   mcpRemoteSession mcp-remote over stdio, what Claude Desktop runs (mcp-remote.ts)
 *   inspectorCall   one run of the MCP Inspector's CLI with its own OAuth (its browser: $BROWSER), answering "y" when it
 *                   asks to step up; it is told not to ask for refresh tokens (`oauth.requestRefreshToken: false`),
 *                   because with one it refreshes on a 403 instead of signing in and then reports its own error
 *
 * The brief's time limit for a clear answer is `within(STEP_UP_LIMIT_MS, …)`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from "@modelcontextprotocol/client";
import { expect } from "vitest";
import type { HeadlessOAuthProvider } from "./client.ts";
import { initialize, startMcpRemote, type McpRemoteOptions, type StdioPeer } from "./mcp-remote.ts";
import { freePorts, ROOT } from "./stack.ts";

export const READER = { login: "reader", password: "reader" };
export const DEMO = { login: "demo", password: "demo" };
export const READ_ONLY = "todo_api:read";
export const WRITE_CALL = { name: "create_todo", arguments: { todoText: "written after a step-up" } } as const;
/** The bridge's tool error for an account without the write permission (src/tools/call.ts missingPermissionText). */
export const MISSING_WRITE = /^create_todo needs the permission todo_api:write, which the signed-in account does not have\. Signing in again will not change that/;
/** The brief: "a clear error within 5 s" (sign-ins included, done by the headless browsers). */
export const STEP_UP_LIMIT_MS = 5_000;

interface ToolResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** `promise`, or a failure naming `what` when it has not settled within `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A result that is the bridge's tool error for the missing write permission. */
export function expectMissingWrite(result: ToolResult): void {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.content[0]?.text).toMatch(MISSING_WRITE);
}

/** A result that is the created todo. */
export function expectCreated(result: ToolResult): void {
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  expect(result.structuredContent).toMatchObject({ text: WRITE_CALL.arguments.todoText, completed: false });
}

export interface SdkSession {
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

/**
 * Connected (signed in through `provider` when the bridge asks, else with `headers` only). A call the SDK answers with
 * UnauthorizedError (it sent the user to sign in again: a step-up) is finished and repeated once.
 */
export async function sdkSession(mcpUrl: string, auth: { provider: HeadlessOAuthProvider } | { headers: Record<string, string> }): Promise<SdkSession> {
  const provider = "provider" in auth ? auth.provider : undefined;
  const transportOptions = provider ? { authProvider: provider } : { requestInit: { headers: (auth as { headers: Record<string, string> }).headers } };
  let transport = new StreamableHTTPClientTransport(new URL(mcpUrl), transportOptions);
  let client = new Client({ name: "step-up e2e", version: "1.0.0" });
  const finish = async () => {
    if (!provider?.landing) throw new Error("the SDK asked for a sign-in without a sign-in to finish");
    await transport.finishAuth(provider.landing.searchParams);
  };
  try {
    await client.connect(transport);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await finish();
    transport = new StreamableHTTPClientTransport(new URL(mcpUrl), transportOptions);
    client = new Client({ name: "step-up e2e", version: "1.0.0" });
    await client.connect(transport);
  }
  return {
    async call(name, args) {
      try {
        return (await client.callTool({ name, arguments: args })) as ToolResult;
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        await finish();
        return (await client.callTool({ name, arguments: args })) as ToolResult;
      }
    },
    close: () => client.close(),
  };
}

export interface McpRemoteSession {
  readonly peer: StdioPeer;
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  /** How many times mcp-remote sent the user to sign in (its $BROWSER was started). */
  signIns(): Promise<number>;
  stop(): Promise<void>;
}

/** mcp-remote started and initialized (signing in first when the bridge asks). */
export async function mcpRemoteSession(mcpUrl: string, options: Omit<McpRemoteOptions, "configDir">): Promise<McpRemoteSession> {
  const configDir = await mkdtemp(join(tmpdir(), "mcp-remote-step-up-"));
  const run = await startMcpRemote(mcpUrl, { ...options, configDir });
  const init = await initialize(run.peer);
  if (init.error) throw new Error(`mcp-remote initialize: ${JSON.stringify(init.error)}\n${run.peer.log()}`);
  return {
    peer: run.peer,
    async call(name, args) {
      const answer = await run.peer.request("tools/call", { name, arguments: args });
      if (answer.error) throw new Error(`mcp-remote tools/call: ${JSON.stringify(answer.error)}\n${run.peer.log()}`);
      return answer.result as ToolResult;
    },
    signIns: async () => (await run.authorizationUrls()).length,
    async stop() {
      await run.peer.stop();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

export interface InspectorRun {
  /** `--format json`: `{ result }`, or `{ error: { code, message } }` with a non-zero exit. */
  readonly envelope: { result?: ToolResult; error?: { code: string; message: string } };
  readonly exitCode: number;
}

export interface InspectorOptions {
  /** The user its $BROWSER signs in; none: no OAuth (e.g. `headers` carry Access's token). */
  user?: { login: string; password: string };
  /** Scopes asked at the first sign-in instead of the Inspector's (see headless-browser.mjs). */
  firstScope?: string;
  headers?: Record<string, string>;
}

const BIN = join(ROOT, "node_modules", ".bin");
const INSPECTOR = join(ROOT, "node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");

/** `inspector --cli … --method tools/call --tool-name <name>` once, in a throwaway home. */
export async function inspectorCall(mcpUrl: string, options: InspectorOptions, name: string, args: Record<string, string>): Promise<InspectorRun> {
  const home = await mkdtemp(join(tmpdir(), "inspector-step-up-"));
  const [callbackPort] = (await freePorts(1)) as [number];
  const config = join(home, "servers.json");
  await writeFile(
    config,
    JSON.stringify({
      mcpServers: { bridge: { type: "streamable-http", url: mcpUrl, headers: options.headers ?? {}, oauth: { requestRefreshToken: false } } },
    }),
  );
  const firstScope = join(home, "first-scope");
  if (options.firstScope !== undefined) await writeFile(firstScope, options.firstScope);
  const argv = [
    INSPECTOR,
    "--cli",
    "--config",
    config,
    "--server",
    "bridge",
    "--callback-url",
    `http://127.0.0.1:${callbackPort}/oauth/callback`,
    "--format",
    "json",
    "--method",
    "tools/call",
    "--tool-name",
    name,
    ...Object.entries(args).flatMap(([key, value]) => ["--tool-arg", `${key}=${value}`]),
  ];
  const run = new Promise<InspectorRun>((resolve, reject) => {
    const child = execFile(
      join(BIN, "node"),
      argv,
      {
        cwd: ROOT,
        timeout: 60_000,
        env: {
          ...process.env,
          HOME: home,
          MCP_CLIENT_CONFIG_PATH: join(home, "client.json"),
          MCP_INSPECTOR_SECRET_STORE: "memory",
          PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
          MCP_AUTO_OPEN_ENABLED: "true",
          BROWSER: join(ROOT, "test", "e2e", "headless-browser.mjs"),
          E2E_BROWSER_LOGIN: options.user?.login ?? "",
          E2E_BROWSER_PASSWORD: options.user?.password ?? "",
          E2E_BROWSER_LOG: join(home, "browser.log"),
          ...(options.firstScope !== undefined && { E2E_BROWSER_FIRST_SCOPE: firstScope }),
          DISPLAY: "",
          WAYLAND_DISPLAY: "",
        },
      },
      (error, stdout, stderr) => {
        // The result on stdout; an error envelope on stderr, after its progress lines.
        const printed = stdout.trim() || (stderr.trim().split("\n").at(-1) ?? "");
        try {
          resolve({ envelope: JSON.parse(printed), exitCode: typeof error?.code === "number" ? error.code : 0 });
        } catch {
          // Not error.message: it repeats the command line.
          reject(new Error(`the Inspector printed no JSON (exit ${String(error?.code)}):\n${stdout}\n${stderr.slice(-3000)}`));
        }
      },
    );
    // "Proceed with step-up authorization? [y/N]": yes, as a person at the terminal would.
    child.stdin?.end("y\n");
  });
  try {
    return await run;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
