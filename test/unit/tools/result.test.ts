import { describe, expect, it } from "vitest";
import { toToolResult, upstreamErrorResult, type CallToolResult } from "../../../src/tools/result.ts";
import type { HttpMethod, ToolDefinition } from "../../../src/tools/types.ts";
import type { UpstreamResponse } from "../../../src/upstream/client.ts";
import { UpstreamTimeout, UpstreamUnreachable } from "../../../src/upstream/errors.ts";

const OBJECT_SCHEMA = { type: "object", properties: { id: { type: "string" } } };
const WRAPPED_SCHEMA = { type: "object", properties: { result: { type: "array" } }, required: ["result"] };

function tool(extra: Partial<ToolDefinition> = {}, method: HttpMethod = "GET", path = "/api/todos"): ToolDefinition {
  return {
    name: "some_tool",
    operationId: "someTool",
    description: "A tool.",
    scopes: [],
    annotations: {},
    inputSchema: { type: "object" },
    input: () => {
      throw new Error("not used");
    },
    http: { method, path, parameters: [] },
    ...extra,
  };
}

interface Answer {
  status?: number;
  statusText?: string;
  contentType?: string;
  body?: string | Uint8Array;
  truncated?: boolean;
  receivedBytes?: number;
  headers?: Record<string, string>;
}

function response(answer: Answer = {}): UpstreamResponse {
  const body = typeof answer.body === "string" ? new TextEncoder().encode(answer.body) : (answer.body ?? new Uint8Array(0));
  const headers = new Headers(answer.headers);
  if (answer.contentType !== undefined) headers.set("content-type", answer.contentType);
  return {
    status: answer.status ?? 200,
    statusText: answer.statusText ?? "",
    headers,
    contentType: answer.contentType ?? "",
    body,
    truncated: answer.truncated ?? false,
    receivedBytes: answer.receivedBytes ?? body.length,
    attempts: 1,
  };
}

function json(body: unknown, extra: Answer = {}): UpstreamResponse {
  return response({ contentType: "application/json", body: JSON.stringify(body, null, 2), ...extra });
}

/** The single text content of a result. */
function textOf(result: CallToolResult): string {
  expect(result.content).toHaveLength(1);
  expect(result.content[0]?.type).toBe("text");
  return result.content[0]?.text ?? "";
}

// ---------------------------------------------------------------------------------------------------------------

describe("toToolResult: JSON success", () => {
  it("returns an object body as structuredContent and as compact JSON text", () => {
    const body = { id: "1", text: "milk", tags: ["a", "b"] };
    const result = toToolResult(tool(), json(body));
    expect(result).toEqual({ content: [{ type: "text", text: '{"id":"1","text":"milk","tags":["a","b"]}' }], structuredContent: body });
    expect(result.isError).toBeUndefined();
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/problem+json",
    "application/vnd.api+json; ext=x",
  ])("recognises %s as JSON", (contentType) => {
    const result = toToolResult(tool({ outputSchema: OBJECT_SCHEMA }), json({ id: "1" }, { contentType }));
    expect(result.structuredContent).toEqual({ id: "1" });
  });

  it("wraps the body as { [resultKey]: body } when the tool has a resultKey (a non-object response)", () => {
    const todos = [{ id: "1" }, { id: "2" }];
    const result = toToolResult(tool({ outputSchema: WRAPPED_SCHEMA, resultKey: "result" }), json(todos));
    expect(result.structuredContent).toEqual({ result: todos });
    expect(textOf(result)).toBe('{"result":[{"id":"1"},{"id":"2"}]}');
  });

  it.each([42, "text", null, true])("wraps the scalar %j too", (value) => {
    const result = toToolResult(tool({ outputSchema: { type: "object" }, resultKey: "result" }), json(value));
    expect(result.structuredContent).toEqual({ result: value });
  });

  it.each([
    ["an array", [1, 2]],
    ["a number", 42],
    ["a string", "hello"],
    ["null", null],
  ])("gives no structuredContent for %s without a resultKey (MCP: it must be an object)", (_, value) => {
    for (const outputSchema of [undefined, OBJECT_SCHEMA]) {
      const result = toToolResult(tool(outputSchema ? { outputSchema } : {}), json(value));
      expect(result.structuredContent).toBeUndefined();
      expect(textOf(result)).toBe(JSON.stringify(value));
    }
  });

  it("gives a body that is not valid JSON as text, without structuredContent", () => {
    const result = toToolResult(tool({ outputSchema: OBJECT_SCHEMA }), response({ contentType: "application/json", body: "{oops" }));
    expect(result).toEqual({ content: [{ type: "text", text: "{oops" }] });
  });

  it("gives a truncated JSON body as its text with a note, without structuredContent", () => {
    const cut = '{"todos":[{"id":"1"},{"id":"2"';
    const result = toToolResult(
      tool({ outputSchema: OBJECT_SCHEMA }),
      response({ contentType: "application/json", body: cut, truncated: true, receivedBytes: 65_536 }),
    );
    expect(result.structuredContent).toBeUndefined();
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe(`${cut}\n[response truncated at ${cut.length} bytes of at least 65536]`);
  });

  it("removes a UTF-8 byte order mark before parsing", () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
    expect(toToolResult(tool(), response({ contentType: "application/json", body })).structuredContent).toEqual({ a: 1 });
  });
});

describe("toToolResult: empty success", () => {
  it.each([
    ["DELETE", 204, "No Content", "DELETE /api/todos/{id} succeeded (204 No Content)"],
    ["DELETE", 204, "", "DELETE /api/todos/{id} succeeded (204 No Content)"],
    ["PUT", 205, "", "PUT /api/todos/{id} succeeded (205 Reset Content) with an empty response body"],
    ["POST", 201, "Created", "POST /api/todos/{id} succeeded (201 Created) with an empty response body"],
    ["GET", 200, "", "GET /api/todos/{id} succeeded (200 OK) with an empty response body"],
    ["POST", 202, "Accepted", "POST /api/todos/{id} succeeded (202 Accepted) with an empty response body"],
  ] as const)("%s answered %i %j: says so", (method, status, statusText, expected) => {
    const result = toToolResult(tool({}, method, "/api/todos/{id}"), response({ status, statusText, contentType: "application/json" }));
    expect(result).toEqual({ content: [{ type: "text", text: expected }] });
  });

  it("claims no structuredContent even when the tool has an outputSchema", () => {
    const result = toToolResult(tool({ outputSchema: OBJECT_SCHEMA }, "DELETE"), response({ status: 204 }));
    expect(result.structuredContent).toBeUndefined();
    expect(result.isError).toBeUndefined();
  });
});

describe("toToolResult: text and binary success", () => {
  it.each([
    ["text/plain", "hello"],
    ["text/plain; charset=utf-8", "grüße"],
    ["text/csv", "a,b\n1,2"],
    ["text/html", "<p>hi</p>"],
    ["application/xml", "<todo id='1'/>"],
    ["image/svg+xml", "<svg/>"],
    ["application/yaml", "a: 1"],
    ["application/x-ndjson", '{"a":1}\n{"a":2}'],
  ])("gives %s as text", (contentType, body) => {
    expect(toToolResult(tool(), response({ contentType, body }))).toEqual({ content: [{ type: "text", text: body }] });
  });

  it("replaces malformed UTF-8 instead of failing", () => {
    const body = new Uint8Array([0x61, 0xff, 0x62]);
    expect(textOf(toToolResult(tool(), response({ contentType: "text/plain", body })))).toBe("a\uFFFDb");
  });

  it("adds the truncation note to cut-off text, dropping a character cut in half", () => {
    // "é" is two bytes (c3 a9): the cap fell between them.
    const body = new Uint8Array([0x61, 0x62, 0xc3]);
    const result = toToolResult(tool(), response({ contentType: "text/plain", body, truncated: true, receivedBytes: 4096 }));
    expect(textOf(result)).toBe("ab\n[response truncated at 3 bytes of at least 4096]");
  });

  it.each([
    ["image/png", "image/png"],
    ["application/octet-stream", "application/octet-stream"],
    ["application/pdf", "application/pdf"],
    ["audio/mpeg; bitrate=128", "audio/mpeg"],
  ])("describes a %s body instead of showing it", (contentType, shown) => {
    const result = toToolResult(tool({ outputSchema: OBJECT_SCHEMA }), response({ contentType, body: new Uint8Array(1234) }));
    expect(result).toEqual({ content: [{ type: "text", text: `binary response: ${shown}, 1234 bytes (not shown)` }] });
  });

  it("gives a truncated binary body's size as a lower bound", () => {
    const result = toToolResult(tool(), response({ contentType: "image/png", body: new Uint8Array(100), truncated: true, receivedBytes: 150 }));
    expect(textOf(result)).toBe("binary response: image/png, at least 150 bytes (not shown)");
  });

  it("shows a body without Content-Type as text when it is UTF-8 text", () => {
    expect(textOf(toToolResult(tool(), response({ body: "plain words" })))).toBe("plain words");
  });

  it.each([
    ["invalid UTF-8", new Uint8Array([0xff, 0xfe, 0x00])],
    ["control bytes", new Uint8Array([0x50, 0x4b, 0x03, 0x04])],
  ])("describes a body without Content-Type as binary when it has %s", (_, body) => {
    expect(textOf(toToolResult(tool(), response({ body })))).toBe(`binary response: application/octet-stream, ${body.length} bytes (not shown)`);
  });
});

describe("toToolResult: API errors", () => {
  it.each([
    ["message", { message: "todoText is too long" }, "todoText is too long"],
    ["error_description (OAuth)", { error: "invalid_request", error_description: "bad id" }, "bad id"],
    ["error.message (Google style)", { error: { code: 400, message: "Invalid value" } }, "Invalid value"],
    ["detail (RFC 9457)", { type: "about:blank", title: "Bad Request", detail: "id must be a UUID" }, "id must be a UUID"],
    ["title (RFC 9457)", { type: "about:blank", title: "Conflict with the current state" }, "Conflict with the current state"],
    ["error (string)", { error: "no such todo" }, "no such todo"],
    ["message over detail", { detail: "second", message: "first" }, "first"],
    ["a non-empty string only", { message: "", detail: "used" }, "used"],
  ])("takes the API's message from %s", (_, body, message) => {
    const result = toToolResult(tool(), json(body, { status: 400, statusText: "Bad Request", contentType: "application/problem+json" }));
    expect(result).toEqual({ content: [{ type: "text", text: `400 Bad Request: ${message}` }], isError: true });
  });

  it("adds the details or errors array as compact JSON", () => {
    const errors = [{ field: "todoText", message: "must be at most 500 characters" }];
    const result = toToolResult(tool(), json({ message: "Validation failed", errors }, { status: 422 }));
    expect(textOf(result)).toBe(`422 Unprocessable Content: Validation failed\nDetails: ${JSON.stringify(errors)}`);
    expect(result.isError).toBe(true);
  });

  it.each([
    ["details", { message: "Invalid", details: [{ path: "id" }] }, "Invalid", [{ path: "id" }]],
    ["FastAPI's detail list", { detail: [{ loc: ["body", "todoText"], msg: "field required" }] }, undefined, [{ loc: ["body", "todoText"], msg: "field required" }]],
    ["error.details", { error: { message: "Bad", details: [{ reason: "x" }] } }, "Bad", [{ reason: "x" }]],
    ["JSON:API errors", { errors: [{ status: "422", title: "Invalid Attribute" }] }, undefined, [{ status: "422", title: "Invalid Attribute" }]],
  ])("shows %s", (_, body, message, details) => {
    const text = textOf(toToolResult(tool(), json(body, { status: 422, statusText: "Unprocessable Entity" })));
    const head = message ? `422 Unprocessable Entity: ${message}` : "422 Unprocessable Entity";
    expect(text).toBe(`${head}\nDetails: ${JSON.stringify(details)}`);
  });

  it("falls back to the first 500 characters of a text body", () => {
    const body = `${"x".repeat(499)}yz${"w".repeat(100)}`;
    const text = textOf(toToolResult(tool(), response({ status: 500, statusText: "Internal Server Error", contentType: "text/html", body })));
    expect(text).toBe(`500 Internal Server Error: ${"x".repeat(499)}y…`);
  });

  it("falls back to the raw text of a JSON body with no known message", () => {
    const text = textOf(toToolResult(tool(), response({ status: 404, contentType: "application/json", body: '{"code":"E404"}' })));
    expect(text).toBe('404 Not Found: {"code":"E404"}');
  });

  it("reads a JSON error sent as text/plain", () => {
    const text = textOf(toToolResult(tool(), response({ status: 409, contentType: "text/plain", body: '{"message":"exists"}' })));
    expect(text).toBe("409 Conflict: exists");
  });

  it.each([
    ["an empty body", response({ status: 500 }), "500 Internal Server Error"],
    ["a binary body", response({ status: 502, contentType: "image/png", body: new Uint8Array(10) }), "502 Bad Gateway"],
    ["an unknown status", response({ status: 599 }), "599"],
  ])("gives the status line alone for %s", (_, answer, expected) => {
    expect(toToolResult(tool(), answer)).toEqual({ content: [{ type: "text", text: expected }], isError: true });
  });

  it("notes a truncated error body", () => {
    const text = textOf(toToolResult(tool(), response({ status: 500, contentType: "text/plain", body: "stack trace…", truncated: true, receivedBytes: 9999 })));
    expect(text).toBe(`500 Internal Server Error: stack trace…\n[response truncated at ${new TextEncoder().encode("stack trace…").length} bytes of at least 9999]`);
  });

  it("says a 401 is an authorization problem with the API for this user, who may need to sign in again", () => {
    const result = toToolResult(tool(), json({ error: "invalid_token", error_description: "The access token expired" }, { status: 401 }));
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/^401 Unauthorized: The access token expired\n/);
    expect(text).toContain("authorization problem with the API for this user");
    expect(text).toContain("The user may need to sign in again.");
  });

  it("says a 403 is the API refusing: the signed-in user lacks permission", () => {
    const result = toToolResult(tool(), response({ status: 403, statusText: "Forbidden" }));
    expect(result).toEqual({
      content: [{ type: "text", text: "403 Forbidden\nThe API refused the request: the signed-in user lacks permission for this operation." }],
      isError: true,
    });
  });

  const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl-_x";
  it.each([
    ["a reflected Authorization header", { message: "bad header: Authorization: Bearer abc.DEF-123~+/xyz==" }, "400 Bad Request: bad header: Authorization: [redacted]"],
    ["a lower-case bearer", { message: "got bearer   tok_123 twice" }, "400 Bad Request: got [redacted] twice"],
    ["a JWT", { message: `token ${JWT} is not for this audience` }, "400 Bad Request: token [redacted] is not for this audience"],
    ["a JWT in the details", { message: "x", errors: [{ token: JWT }] }, '400 Bad Request: x\nDetails: [{"token":"[redacted]"}]'],
  ])("redacts %s", (_, body, expected) => {
    const text = textOf(toToolResult(tool(), json(body, { status: 400 })));
    expect(text).toBe(expected);
  });

  it("redacts tokens in a text body fallback", () => {
    const text = textOf(toToolResult(tool(), response({ status: 500, contentType: "text/plain", body: `headers: {authorization: "Bearer ${JWT}"}` })));
    expect(text).toBe('500 Internal Server Error: headers: {authorization: "[redacted]"}');
    expect(text).not.toContain("eyJ");
  });

  it("does not echo response headers such as WWW-Authenticate", () => {
    const answer = response({ status: 401, headers: { "www-authenticate": `Bearer error="invalid_token", token="${JWT}"` } });
    expect(textOf(toToolResult(tool(), answer))).not.toContain("eyJ");
  });
});

describe("toToolResult: redirects", () => {
  it("reports a redirect it did not follow, without the target's query", () => {
    const answer = response({ status: 302, headers: { location: "https://login.example.com/authorize?code=secret#access_token=x" } });
    expect(toToolResult(tool(), answer)).toEqual({
      content: [{ type: "text", text: "302 Found: the API redirected the request to https://login.example.com/authorize, which the bridge does not follow." }],
      isError: true,
    });
  });

  it("shows a relative Location as a path", () => {
    const text = textOf(toToolResult(tool(), response({ status: 308, headers: { location: "/api/todos/?page=2" } })));
    expect(text).toBe("308 Permanent Redirect: the API redirected the request to /api/todos/, which the bridge does not follow.");
  });
});

describe("upstreamErrorResult", () => {
  it.each([
    new UpstreamTimeout("GET", "/api/todos", 30_000, 3),
    new UpstreamUnreachable("POST", "/api/todos", "ECONNREFUSED", 1),
  ])("is an error result with the error's message: $message", (error) => {
    expect(upstreamErrorResult(tool(), error)).toEqual({ content: [{ type: "text", text: error.message }], isError: true });
  });

  it("gives the message the client builds", () => {
    const error = new UpstreamTimeout("GET", "/api/todos", 30_000, 3);
    expect(textOf(upstreamErrorResult(tool(), error))).toBe("GET /api/todos timed out after 30000 ms (3 attempts)");
  });
});
