/** Operations with servers of their own: which base URL a call is built on, and which fetch sends it. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { systemClock } from "../../../src/clock.ts";
import { callTool, type CallContext } from "../../../src/tools/call.ts";
import { toolBaseUrl } from "../../../src/tools/servers.ts";
import type { HttpBinding, ToolDefinition } from "../../../src/tools/types.ts";

const API = "https://api.example.test/base";

describe("toolBaseUrl", () => {
  it.each<[string, HttpBinding["server"], Record<string, unknown>, string]>([
    ["no server of its own: the API's", undefined, {}, API],
    ["an absolute server", { url: "https://files.example.test/" }, {}, "https://files.example.test/"],
    ["its run-time override wins", { url: "https://files.example.test", urlEnv: "FILES_URL" }, { FILES_URL: "https://files.staging.test" }, "https://files.staging.test/"],
    ["an empty override is no override", { url: "https://files.example.test", urlEnv: "FILES_URL" }, { FILES_URL: "" }, "https://files.example.test/"],
    ["a relative server with a slash: at the API's origin", { url: "/v3" }, {}, "https://api.example.test/v3"],
    ["a relative server without one: below the API's path", { url: "v3" }, {}, "https://api.example.test/base/v3"],
  ])("%s", (_name, server, env, want) => {
    const http: HttpBinding = { method: "GET", path: "/x", parameters: [], ...(server && { server }) };
    expect(toolBaseUrl(http, API, env)).toBe(want);
  });
});

describe("callTool: a tool on its own server", () => {
  const upload: ToolDefinition = {
    name: "upload",
    operationId: "upload",
    description: "",
    scopes: [],
    annotations: {},
    inputSchema: { type: "object" },
    input: () => z.strictObject({}),
    http: { method: "POST", path: "/v1/files", parameters: [], server: { url: "https://files.example.test", urlEnv: "FILES_URL" } },
  };

  function context(env: Record<string, unknown>) {
    const sent: { via: string; url: string; authorization: string | null }[] = [];
    const recorder = (via: string) =>
      (async (input: Request | string | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        sent.push({ via, url: request.url, authorization: request.headers.get("authorization") });
        return Response.json({ ok: true });
      }) as typeof fetch;
    const ctx: CallContext = {
      identity: { subject: "s", scopes: [], claims: {} },
      held: new Set(),
      credentials: { headersFor: async () => ({ authorization: "Bearer upstream" }) },
      baseUrl: API,
      env,
      // The API's service binding, which leads only to the API's Worker.
      fetch: recorder("binding"),
      serverFetch: recorder("public"),
      timeoutMs: 1000,
      maxResponseBytes: 4096,
      clock: systemClock,
      log: () => {},
    };
    return { ctx, sent };
  }

  it("is sent to its server over the public network, with the upstream credentials", async () => {
    const { ctx, sent } = context({});
    const result = await callTool(upload, {}, ctx);
    expect(result.isError).toBeUndefined();
    expect(sent).toEqual([{ via: "public", url: "https://files.example.test/v1/files", authorization: "Bearer upstream" }]);
  });

  it("follows the server's run-time override", async () => {
    const { ctx, sent } = context({ FILES_URL: "https://files.staging.test/prefix" });
    await callTool(upload, {}, ctx);
    expect(sent.map((s) => s.url)).toEqual(["https://files.staging.test/prefix/v1/files"]);
  });

  it("a tool without a server of its own still goes through the API's fetch", async () => {
    const { ctx, sent } = context({});
    const { server: _, ...http } = upload.http;
    await callTool({ ...upload, http }, {}, ctx);
    expect(sent).toEqual([{ via: "binding", url: `${API}/v1/files`, authorization: "Bearer upstream" }]);
  });
});
