/**
 * mcp-remote end to end, exactly as Claude Desktop runs it: `mcp-remote <bridge>/mcp` spawned over stdio with a fresh
 * MCP_REMOTE_CONFIG_DIR and $BROWSER pointing at test/e2e/headless-browser.mjs, which signs `demo` in through the
 * IdP's real login and consent pages and delivers the code to mcp-remote's own callback server. The test then speaks
 * newline-delimited JSON-RPC on its stdin/stdout like a desktop host.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { initialize, startMcpRemote, type Message, type StdioPeer } from "./mcp-remote.ts";
import { startStack, type Stack } from "./stack.ts";

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

/** Structured result of a tools/call answer, failing on a JSON-RPC or tool error. */
function structured(answer: Message): any {
  expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
  expect(answer.result.isError, JSON.stringify(answer.result.content)).toBeFalsy();
  return answer.result.structuredContent ?? JSON.parse(answer.result.content[0].text);
}

describe("mcp-remote (Claude Desktop's stdio proxy) against the bridge", () => {
  it("signs demo in through $BROWSER, then initialize → tools/list (5) → create_todo → list_todos over stdio", async () => {
    const before = { ...stack.stats };
    const run = await startMcpRemote(stack.mcpUrl, { configDir });
    const { child, browserLog } = run;
    proxy = run.peer;

    const init = await initialize(proxy);
    expect(init.error, `${JSON.stringify(init.error)}\n${proxy.log()}`).toBeUndefined();
    expect(init.result.protocolVersion).toBe("2025-11-25");
    expect(init.result.capabilities).toHaveProperty("tools");

    // The sign-in really went through the IdP's pages and ended at mcp-remote's local callback with a code.
    const visited = (await readFile(browserLog, "utf8")).trim().split("\n");
    const [authorization] = await run.authorizationUrls();
    if (!authorization) throw new Error(`the browser was not started:\n${visited.join("\n")}`);
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
