/**
 * Path injection through a tool call, end to end in process: `callTool` with a synthetic tool whose path parameter
 * has no format (the generated Todo tools validate `id` as a uuid, so the workerd suite only sees validation errors
 * there) and a recording fetch. Whatever the model sends, the API sees exactly one percent-encoded path segment, at
 * the configured base URL, and no extra header; dot segments are refused before anything is sent.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { callTool, type CallContext } from "../../../src/tools/call.ts";
import type { ToolDefinition } from "../../../src/tools/types.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

const thing: ToolDefinition = {
  name: "get_thing",
  operationId: "getThing",
  description: "Get a thing",
  scopes: ["things:read"],
  annotations: { readOnlyHint: true },
  inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"], additionalProperties: false },
  input: () => z.strictObject({ id: z.string() }),
  http: {
    method: "GET",
    path: "/api/things/{id}",
    parameters: [{ key: "id", name: "id", in: "path", style: "simple", explode: false }],
    accepts: ["application/json"],
  },
};

function context() {
  const seen: Request[] = [];
  const fetch = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request);
    return Response.json({ ok: true });
  };
  const ctx: CallContext = {
    identity: { subject: "u1", scopes: ["things:read"], claims: {} },
    held: new Set(["things:read"]),
    credentials: { headersFor: async () => ({ authorization: "Bearer upstream-token" }) },
    baseUrl: "http://api.test/v1",
    fetch: fetch as typeof globalThis.fetch,
    timeoutMs: 1000,
    maxResponseBytes: 4096,
    clock: new ManualClock(),
    log: () => {},
  };
  return { ctx, seen };
}

describe("a path parameter reaches the API as exactly one encoded segment", () => {
  it.each([
    ["../admin", "..%2Fadmin"],
    ["%2F..%2Fadmin", "%252F..%252Fadmin"],
    ["a/b", "a%2Fb"],
    ["x?y=1#z", "x%3Fy%3D1%23z"],
    ["\r\nX-Injected: 1", "%0D%0AX-Injected%3A%201"],
    ["..\\admin", "..%5Cadmin"],
    ["...", "..."],
    // Already percent-encoded dots are text, not dot segments: encoded again, so the API decodes them back to text.
    ["%2e%2e", "%252e%252e"],
    [".%2E", ".%252E"],
    ["ü ñ", "%C3%BC%20%C3%B1"],
  ])("%j → /v1/api/things/%s", async (id, segment) => {
    const { ctx, seen } = context();
    const result = await callTool(thing, { id }, ctx);
    expect(result.isError, JSON.stringify(result)).toBeUndefined();
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]!.url);
    expect(url.origin).toBe("http://api.test");
    expect(url.pathname).toBe(`/v1/api/things/${segment}`);
    expect(url.search).toBe("");
    expect(url.hash).toBe("");
    expect(decodeURIComponent(url.pathname.split("/").at(-1)!)).toBe(id);
    expect(seen[0]!.headers.get("x-injected")).toBeNull();
    expect([...seen[0]!.headers.keys()].sort()).toEqual(["accept", "authorization"]);
  });

  it.each([".", "..", ""])("%j is refused before anything is sent", async (id) => {
    const { ctx, seen } = context();
    const result = await callTool(thing, { id }, ctx);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/^Invalid arguments for get_thing:\n- Argument "id": /);
    expect(seen).toHaveLength(0);
  });
});
