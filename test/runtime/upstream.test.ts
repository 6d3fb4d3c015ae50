/**
 * The bridge in workerd against an upstream this test controls (a node:http server standing in for the Todo API):
 * API errors (4xx, 5xx), a hanging API (the time limit), an oversized answer (the byte cap), a redirect and a reset
 * connection, and what the API receives: a token minted for it (never the client's), exactly one encoded path
 * segment, and nothing at all when the arguments are invalid.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { config } from "../../generated/config.ts";
import { exchangeTarget } from "./test-auth.ts";
import { BOTH, connect, context, leakReport, newUser, READ, signToken, startBridgeDirect, type Running } from "./stack.ts";

const TIMEOUT_MS = 1000;
const MAX_BYTES = 64 * 1024;

/** Ids the fake API answers specially (get_todo validates ids as uuids). */
const ID = {
  ok: "00000000-0000-4000-8000-000000000200",
  notFound: "00000000-0000-4000-8000-000000000404",
  serverError: "00000000-0000-4000-8000-000000000500",
  unavailable: "00000000-0000-4000-8000-000000000503",
  hang: "00000000-0000-4000-8000-00000000dead",
  huge: "00000000-0000-4000-8000-0000000b16b1",
  echo: "00000000-0000-4000-8000-0000000ec400",
  redirect: "00000000-0000-4000-8000-000000000302",
  reset: "00000000-0000-4000-8000-00000000e5e7",
};

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  headers: IncomingMessage["headers"];
  /** The connection closed before the fake API answered (the bridge gave up). */
  abandoned: boolean;
}

const seen: Seen[] = [];
const hanging = new Set<ServerResponse>();
let upstream: ReturnType<typeof createServer>;
let bridge: Running;
let client: Client;
let sub: string;
const clientTokens: string[] = [];

function todo(id: string) {
  return { id, text: "from the fake API", completed: false, createdAt: "2026-11-24T12:00:00.000Z" };
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const entry: Seen = { method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, headers: req.headers, abandoned: false };
  seen.push(entry);
  res.on("close", () => {
    if (!res.writableEnded) entry.abandoned = true;
  });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const id = /^\/api\/todos\/([^/?]+)$/.exec(req.url ?? "")?.[1];
  if (req.url === "/api/todos") return json(200, { todos: [todo(ID.ok)] });
  switch (id) {
    case ID.ok:
      return json(200, todo(ID.ok));
    case ID.notFound:
      return json(404, { error: "not_found", message: `No todo with id ${id}.` });
    case ID.serverError:
      return json(500, { error: "internal_error", message: "Something went wrong." });
    case ID.unavailable:
      return json(503, { error: "temporarily_unavailable", message: "Try again later." });
    case ID.hang:
      hanging.add(res);
      return; // never answers
    case ID.huge: {
      // ~3 MB of JSON, sent in chunks.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = JSON.stringify(todo(ID.huge)).replace(/"text":"[^"]*"/, `"text":"${"x".repeat(400)}"`);
      res.write(`{"todos":[${chunk}`);
      let sent = 0;
      const more = () => {
        while (sent < 6000 && res.write(`,${chunk}`)) sent++;
        if (sent < 6000) res.once("drain", more);
        else res.end("]}");
      };
      return more();
    }
    case ID.echo:
      // A careless API that reflects the credentials it got in its error message.
      return json(400, { error: "invalid_request", message: `Rejected request with ${req.headers.authorization}` });
    case ID.redirect:
      res.writeHead(302, { location: `https://login.example/authorize?code=secret-code&token=${encodeURIComponent(req.headers.authorization ?? "")}` });
      res.end();
      return;
    case ID.reset:
      req.socket.destroy();
      return;
    default:
      return json(404, { error: "not_found", message: "No such resource." });
  }
}

beforeAll(async () => {
  upstream = createServer(answer);
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  bridge = await startBridgeDirect(apiUrl, { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS), UPSTREAM_MAX_RESPONSE_BYTES: String(MAX_BYTES) });
  sub = newUser();
  const signed = await signToken({ sub, scope: BOTH });
  clientTokens.push(signed);
  client = await connect(bridge.url, signed);
  await client.listTools();
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await bridge?.close();
  upstream?.closeAllConnections();
  await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

type Result = Awaited<ReturnType<Client["callTool"]>>;
const textOf = (result: Result) => (result.content as { text: string }[]).map((block) => block.text).join("\n");
const getTodo = (id: string) => client.callTool({ name: "get_todo", arguments: { id } });

describe("what the API receives", () => {
  it("a newly minted token for the API, scoped to the tool: never the client's token", async () => {
    const result = await getTodo(ID.ok);
    expect(result.structuredContent).toEqual(todo(ID.ok));
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe("GET");
    expect(request!.url).toBe(`/api/todos/${ID.ok}`);
    expect(request!.headers["accept"]).toBe("application/json");

    const upstreamToken = request!.authorization!.replace(/^Bearer /, "");
    expect(clientTokens).not.toContain(upstreamToken);
    expect(decodeProtectedHeader(upstreamToken)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    const claims = decodeJwt(upstreamToken);
    expect(claims).toMatchObject({
      iss: context.issuer,
      aud: exchangeTarget(config).upstreamAudience,
      sub,
      // get_todo needs todo_api:read: the write scope the caller also holds is not passed on.
      scope: READ,
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);

    // A new token per call.
    await getTodo(ID.ok);
    expect(seen[1]!.authorization).not.toBe(request!.authorization);
    capturedUpstreamTokens.push(upstreamToken, seen[1]!.authorization!.replace(/^Bearer /, ""));

    // The test Worker recorded them (as hashes only).
    const { sha256 } = (await (await fetch(`${bridge.url}/__test/tokens`)).json()) as { sha256: string[] };
    expect(sha256).toContain(createHash("sha256").update(upstreamToken).digest("hex"));
  });

  it("nothing when the id is invalid, whatever it tries to inject", async () => {
    for (const id of ["../admin", "..", "%2F..%2Fadmin", "a/b", "x?y=1#z", "\r\nX-Injected: 1", `${ID.ok}/../../admin`]) {
      const result = await getTodo(id);
      expect(result.isError, id).toBe(true);
      expect(textOf(result), id).toContain("id: Invalid GUID");
    }
    expect(seen).toEqual([]);
  });
});

describe("API failures reach the model as isError results", () => {
  it("4xx: the API's own message", async () => {
    const result = await getTodo(ID.notFound);
    expect(result).toEqual({ content: [{ type: "text", text: `404 Not Found: No todo with id ${ID.notFound}.` }], isError: true });
  });

  it("500: the API's message, not retried (the API may have acted)", async () => {
    const result = await getTodo(ID.serverError);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("500 Internal Server Error: Something went wrong.");
    expect(seen).toHaveLength(1);
  });

  it("503: retried, then the API's message", async () => {
    const result = await getTodo(ID.unavailable);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("503 Service Unavailable: Try again later.");
    expect(seen).toHaveLength(3);
  });

  // How long the limit is, and that it is not repeated, is proved on a manual clock (test/unit/upstream/client.test.ts):
  // here, that workerd really ends the call and drops the API's connection.
  it("a hanging API: the call ends at the time limit with a timeout, and the API's connection is dropped", async () => {
    const result = await getTodo(ID.hang);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(`GET /api/todos/${ID.hang} timed out after ${TIMEOUT_MS} ms (1 attempt)`);
    // Not retried (the time limit is per attempt; a timeout is not repeated), and workerd dropped the connection.
    expect(seen).toHaveLength(1);
    await expect.poll(() => seen[0]?.abandoned, { timeout: 2000 }).toBe(true);
  });

  it("a reset connection: a GET is repeated twice, then a network error", async () => {
    const before = seen.length;
    const result = await getTodo(ID.reset);
    expect(result.isError).toBe(true);
    // workerd rejects with a plain `Error: Network connection lost.` (not the standard TypeError): still retried.
    expect(textOf(result)).toBe(`GET /api/todos/${ID.reset} failed with a network error (3 attempts)`);
    expect(seen.length - before).toBe(3);
  });

  it("an oversized answer: cut at the byte cap, said so, and the call does not hang", async () => {
    const result = await client.callTool({ name: "get_todo", arguments: { id: ID.huge } }).catch((error: Error) => error);
    // MCP: a tool with an outputSchema must return conforming structured content; a cut-off document has none, so
    // the result is an error result (an SDK client rejects a success result without structuredContent).
    expect(result).not.toBeInstanceOf(Error);
    const called = result as Result;
    expect(called.isError).toBe(true);
    expect(called.structuredContent).toBeUndefined();
    const text = textOf(called);
    expect(text).toMatch(/\[response truncated at 65536 bytes of at least \d+\]/);
    expect(text.length).toBeLessThan(MAX_BYTES + 1000);
  });

  it("a redirect: not followed, and its query (a code, a token) not shown", async () => {
    const result = await getTodo(ID.redirect);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("302 Found: the API redirected the request to https://login.example/authorize, which the bridge does not follow.");
    expect(seen).toHaveLength(1);
  });

  it("an API that reflects the credentials in its error: redacted", async () => {
    const result = await getTodo(ID.echo);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("400 Bad Request: Rejected request with [redacted]");
    capturedUpstreamTokens.push(seen[0]!.authorization!.replace(/^Bearer /, ""));
  });
});

const capturedUpstreamTokens: string[] = [];

describe("no credential leaks", () => {
  it("no client or upstream token appears in any response, result or log line", async () => {
    const report = await leakReport(bridge.url, clientTokens, capturedUpstreamTokens);
    expect(capturedUpstreamTokens.length).toBeGreaterThanOrEqual(3);
    expect(report.minted).toBeGreaterThanOrEqual(10);
    expect(report).toMatchObject({ mintedFound: 0, clientFound: 0, otherFound: 0, jwtShaped: [] });
  });

  it("the leak check finds a token where there is one (self-check)", async () => {
    const [leaked] = capturedUpstreamTokens;
    const scan = (await (await fetch(`${bridge.url}/__test/scan`, { method: "POST", body: `x ${leaked} y` })).json()) as { found: number };
    expect(scan.found).toBe(1);
    const signatureOnly = (await (await fetch(`${bridge.url}/__test/scan`, { method: "POST", body: leaked!.split(".")[2] })).json()) as { found: number };
    expect(signatureOnly.found).toBe(1);
  });
});
