/**
 * The bridge's own credentials for non-OAuth security schemes (bridge.yaml `upstream.schemes`): placed where the
 * scheme says, read from the Worker's env at call time, never shadowed by a tool argument, and never shown. The call
 * tests send real HTTP requests to a local server (node:http on 127.0.0.1) and look at what arrived.
 */
import { systemClock } from "../../../src/clock.ts";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { callTool, type CallContext } from "../../../src/tools/call.ts";
import type { HttpRequestPlan } from "../../../src/tools/request.ts";
import type { SchemeCredential, ToolDefinition } from "../../../src/tools/types.ts";
import { SchemeSecretMissing, withSchemeCredentials } from "../../../src/tools/scheme-credentials.ts";

const PLAN: HttpRequestPlan = { method: "GET", url: "https://api.test/v1/pets?limit=2", headers: { accept: "application/json" } };
const ENV = { PET_KEY: "k3y/with+odd=chars", USER: "zoë", PASS: "p:ss" };
const key = (where: "header" | "query" | "cookie", name: string): SchemeCredential => ({ scheme: "api_key", type: "apiKey", in: where, name, valueEnv: "PET_KEY" });
const BASIC: SchemeCredential = { scheme: "basic", type: "basic", usernameEnv: "USER", passwordEnv: "PASS" };

describe("withSchemeCredentials", () => {
  it.each<[string, HttpRequestPlan, SchemeCredential[], Partial<HttpRequestPlan>]>([
    ["an API key header, lower-cased among sorted headers", PLAN, [key("header", "X-API-Key")], { headers: { accept: "application/json", "x-api-key": ENV.PET_KEY } }],
    ["an API key query parameter, percent-encoded, after the arguments", PLAN, [key("query", "api_key")], { url: "https://api.test/v1/pets?limit=2&api_key=k3y%2Fwith%2Bodd%3Dchars" }],
    [
      "a query argument of the same name is replaced, not kept beside the key",
      { ...PLAN, url: "https://api.test/v1/pets?api%5Fkey=model&limit=2" },
      [key("query", "api_key")],
      { url: "https://api.test/v1/pets?limit=2&api_key=k3y%2Fwith%2Bodd%3Dchars" },
    ],
    ["a query on a URL without one", { ...PLAN, url: "https://api.test/v1/pets" }, [key("query", "k")], { url: "https://api.test/v1/pets?k=k3y%2Fwith%2Bodd%3Dchars" }],
    [
      "a cookie, beside the operation's own cookies, replacing one of the same name",
      { ...PLAN, headers: { accept: "application/json", cookie: "session=abc; api_key=model" } },
      [key("cookie", "api_key")],
      { headers: { accept: "application/json", cookie: "session=abc; api_key=k3y%2Fwith%2Bodd%3Dchars" } },
    ],
    // RFC 7617 §2: base64("zoë:p:ss") of the UTF-8 bytes.
    ["HTTP basic, UTF-8", PLAN, [BASIC], { headers: { accept: "application/json", authorization: `Basic ${Buffer.from("zoë:p:ss", "utf8").toString("base64")}` } }],
    ["none: the same plan", PLAN, [], PLAN],
  ])("%s", (_name, plan, credentials, want) => {
    const before = structuredClone(plan);
    expect(withSchemeCredentials(plan, credentials, ENV)).toMatchObject(want);
    expect(plan).toEqual(before);
  });

  it("a secret that is not set names its variable, never a value", () => {
    const failure = (() => {
      try {
        withSchemeCredentials(PLAN, [key("header", "X-Key"), BASIC], { USER: "zoë", PASS: "" });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(SchemeSecretMissing);
    expect(failure).toMatchObject({ code: "ERR_SCHEME_SECRET_MISSING", variable: "PET_KEY", message: "the Worker secret PET_KEY is not set" });
  });
});

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
}

describe("a tool call with scheme credentials, over HTTP", () => {
  let server: Server;
  let baseUrl: string;
  const received: Received[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push({ url: request.url ?? "", headers: request.headers });
      response.setHeader("content-type", "application/json");
      response.end('{"pets":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const listPets: ToolDefinition = {
    name: "list_pets",
    operationId: "listPets",
    description: "List pets",
    scopes: [],
    annotations: { readOnlyHint: true },
    inputSchema: { type: "object", properties: { api_key: { type: "string" } }, additionalProperties: false },
    input: () => z.strictObject({ api_key: z.string().optional() }),
    http: { method: "GET", path: "/pets", parameters: [{ key: "api_key", name: "api_key", in: "query", style: "form", explode: true }] },
    credentials: [key("query", "api_key"), key("header", "X-Tenant-Key")],
  };

  function context(env: Record<string, unknown>, logged: Record<string, unknown>[] = []): CallContext {
    return {
      identity: { subject: "u1", scopes: [], claims: {} },
      held: new Set(),
      credentials: { headersFor: async () => ({}) },
      baseUrl,
      fetch,
      timeoutMs: 5000,
      maxResponseBytes: 4096,
      // A real server on loopback answers at once: the system clock's time limits never come into play.
      clock: systemClock,
      log: (event) => logged.push(event),
      env,
    };
  }

  it("the API receives the key where the scheme says, and the model's own api_key argument does not get through", async () => {
    received.length = 0;
    const result = await callTool(listPets, { api_key: "chosen-by-the-model" }, context({ PET_KEY: "s3cret" }));
    expect(result.isError).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe("/v1/pets?api_key=s3cret");
    expect(received[0]!.headers["x-tenant-key"]).toBe("s3cret");
    expect(JSON.stringify(result)).not.toContain("s3cret");
  });

  it("a missing secret: a tool error, a log line naming the variable, and nothing sent", async () => {
    received.length = 0;
    const logged: Record<string, unknown>[] = [];
    const result = await callTool(listPets, {}, context({}, logged));
    expect(result).toEqual({
      content: [{ type: "text", text: "list_pets cannot reach the API: the bridge's operator has not set its API credential." }],
      isError: true,
    });
    expect(received).toHaveLength(0);
    expect(logged).toContainEqual({
      event: "credentials_failed",
      tool: "list_pets",
      subject: "u1",
      code: "ERR_SCHEME_SECRET_MISSING",
      reason: "the Worker secret PET_KEY is not set",
      variable: "PET_KEY",
    });
  });
});
