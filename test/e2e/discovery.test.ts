/**
 * Discovery mode end to end on a large API: a bridge generated at test time from GitHub's REST API description
 * (~1,200 operations, tools.mode: discovery, scope rules: reads need the read scope, writes the write scope), run in
 * workerd with the local identity provider, calling a local recorder that stands in for GitHub's API. The official
 * MCP SDK client signs in as `demo` (read and write) and as `reader` (read only) and searches, describes and calls.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEARCH_TASKS } from "../../scripts/bench/search-tasks.ts";
import { connectWithSignIn, HeadlessOAuthProvider } from "./client.ts";
import { READ, startGithubStack, WRITE, type GithubStack } from "./github-stack.ts";

const SEARCH = "search_operations";
const DESCRIBE = "describe_operation";
const CALL = "call_operation";

let stack: GithubStack;
const demo = new HeadlessOAuthProvider({ login: "demo", password: "demo" });
const reader = new HeadlessOAuthProvider({ login: "reader", password: "reader" });
let demoClient: Client;
let readerClient: Client;

beforeAll(async () => {
  stack = await startGithubStack();
  demoClient = await connectWithSignIn(stack.mcpUrl, demo);
  readerClient = await connectWithSignIn(stack.mcpUrl, reader);
}, 240_000);

afterAll(async () => {
  await demoClient?.close();
  await readerClient?.close();
  await stack?.close();
});

interface Hit {
  name: string;
  title?: string;
  http: string;
  scopes: string[];
  missingScopes?: string[];
}

function textOf(result: Awaited<ReturnType<Client["callTool"]>>): string {
  return (result.content as { type: string; text: string }[])[0]!.text;
}

async function search(client: Client, query: string, limit?: number): Promise<Hit[]> {
  const result = await client.callTool({ name: SEARCH, arguments: { query, ...(limit !== undefined && { limit }) } });
  expect(result.isError, textOf(result)).toBeFalsy();
  return JSON.parse(textOf(result)).operations;
}

/** A tools/call POSTed as the SDK would send it (stateless, 2025-11-25), to see the HTTP status and challenge. */
function rawCall(token: string, name: string, args: Record<string, unknown>): Promise<Response> {
  return fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: args } }),
  });
}

describe("discovery mode on GitHub's API (1,200 operations)", () => {
  it("lists three tools, with honest hints for each caller", async () => {
    const forDemo = (await demoClient.listTools()).tools;
    expect(forDemo.map((tool) => tool.name)).toEqual([SEARCH, DESCRIBE, CALL]);
    const hints = Object.fromEntries(forDemo.map((tool) => [tool.name, tool.annotations]));
    expect(hints[SEARCH]).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(hints[DESCRIBE]).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(hints[CALL]).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
    // The reader may call only reads: for it, the call tool is read-only.
    const forReader = (await readerClient.listTools()).tools;
    expect(forReader.map((tool) => tool.name)).toEqual([SEARCH, DESCRIBE, CALL]);
    expect(forReader.find((tool) => tool.name === CALL)!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it("demo finds, describes and calls a write operation; the recorder sees exactly the request it implies", async () => {
    const hits = await search(demoClient, "close an issue");
    const update = hits.find((hit) => hit.name === "issues_update");
    expect(update).toMatchObject({ title: "Update an issue", http: "PATCH /repos/{owner}/{repo}/issues/{issue_number}", scopes: [WRITE] });

    const described = JSON.parse(textOf(await demoClient.callTool({ name: DESCRIBE, arguments: { name: "issues_update" } })));
    expect(described).toMatchObject({ name: "issues_update", http: "PATCH /repos/{owner}/{repo}/issues/{issue_number}", scopes: [WRITE] });
    expect(described.inputSchema.required).toEqual(expect.arrayContaining(["owner", "repo", "issue_number"]));
    expect(described.inputSchema.properties.state.enum).toEqual(["open", "closed"]);

    const before = stack.recorded.length;
    const result = await demoClient.callTool({ name: CALL, arguments: { name: "issues_update", arguments: { owner: "octo", repo: "hello", issue_number: 42, state: "closed" } } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const sent = stack.recorded.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "PATCH", url: "/repos/octo/hello/issues/42" });
    expect(JSON.parse(sent[0]!.body)).toEqual({ state: "closed" });
    // The API got an exchanged token for itself, holding the write scope, never the client's token.
    const token = sent[0]!.authorization.replace(/^Bearer /, "");
    expect(token).not.toBe(demo.accessToken);
    expect(decodeJwt(token)).toMatchObject({ aud: stack.apiUrl, sub: "demo", scope: WRITE });
  });

  it("a call with wrong arguments is refused by the operation's own validator, before anything is sent", async () => {
    const before = stack.recorded.length;
    const result = await demoClient.callTool({ name: CALL, arguments: { name: "issues_update", arguments: { owner: "octo", repo: "hello", issue_number: "forty-two" } } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Invalid arguments for issues_update:\n- issue_number: /);
    expect(stack.recorded.length).toBe(before);
  });

  it("the reader's searches never return a write operation, over every benchmark task", async () => {
    let seen = 0;
    for (const task of SEARCH_TASKS) {
      const hits = await search(readerClient, task.ask, 25);
      seen += hits.length;
      for (const hit of hits) {
        expect(hit.http, `${task.ask} → ${hit.name}`).toMatch(/^(GET|HEAD) /);
        expect(hit.scopes).toEqual([READ]);
        expect(hit.missingScopes).toBeUndefined();
      }
    }
    expect(seen).toBeGreaterThan(SEARCH_TASKS.length * 5);
    // What demo finds first for "close an issue" is not there for the reader.
    expect((await search(readerClient, "close an issue", 25)).map((hit) => hit.name)).not.toContain("issues_update");
  });

  it("the reader cannot describe a write operation: it is answered as if it did not exist", async () => {
    const hidden = await readerClient.callTool({ name: DESCRIBE, arguments: { name: "issues_update" } });
    const missing = await readerClient.callTool({ name: DESCRIBE, arguments: { name: "no_such_operation" } });
    expect(hidden.isError).toBe(true);
    expect(textOf(hidden)).toBe(textOf(missing).replace("no_such_operation", "issues_update"));
    expect(textOf(hidden)).not.toContain("PATCH");
  });

  it("the reader calls a read operation through the same path", async () => {
    const before = stack.recorded.length;
    const result = await readerClient.callTool({ name: CALL, arguments: { name: "issues_list_for_repo", arguments: { owner: "octo", repo: "hello", state: "closed" } } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const sent = stack.recorded.slice(before);
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual(["GET /repos/octo/hello/issues?state=closed"]);
    expect(decodeJwt(sent[0]!.authorization.replace(/^Bearer /, ""))).toMatchObject({ sub: "reader", scope: READ });
  });

  it("the reader's call of a write operation gets the HTTP 403 insufficient_scope challenge, and nothing is sent", async () => {
    const before = stack.recorded.length;
    const response = await rawCall(reader.accessToken, CALL, { name: "issues_update", arguments: { owner: "octo", repo: "hello", issue_number: 42, state: "closed" } });
    expect(response.status).toBe(403);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain(`scope="${WRITE}"`);
    expect(challenge).toContain(`resource_metadata="${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(stack.recorded.length).toBe(before);
    // The same caller's call of a read operation is not challenged.
    const read = await rawCall(reader.accessToken, CALL, { name: "repos_get", arguments: { owner: "octo", repo: "hello" } });
    expect(read.status).toBe(200);
  });
});
