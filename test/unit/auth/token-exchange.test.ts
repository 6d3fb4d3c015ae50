/**
 * PingFederate adapter, upstream credentials: RFC 8693 token exchange at the AS double's token endpoint, its cache,
 * coalescing of concurrent misses and `invalid_grant`.
 */
import type { JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeploymentIncomplete,
  IdentityProviderRefused,
  IdentityProviderResponseInvalid,
  IdentityProviderUnavailable,
  ReauthenticationRequired,
} from "../../../src/auth/errors.ts";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import { clearTokenExchangeCache } from "../../../src/auth/token-exchange.ts";
import type { AuthAdapter, UpstreamCredentials } from "../../../src/auth/types.ts";
import type { TokenExchangeCredentials } from "../../../src/auth/pingfederate.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { startAsDouble, type AsDouble } from "./as-double.ts";
import { API, API_SCOPES, basicCredentials, CLIENT_ENV, ENV, mcpRequest, pingFederateOptions, RESOURCE, SCOPES, tool } from "./fixtures.ts";

let as: AsDouble;
let clock = new ManualClock(Date.now());
const seconds = () => Math.floor(clock.now() / 1000);
const defaultExchange = () => as.onExchange;
let originalExchange: AsDouble["onExchange"];

const listTodos = tool("list_todos", ["todo_api:read"]);
const createTodo = tool("create_todo", ["todo_api:write"]);
const both = tool("sync", ["todo_api:read", "todo_api:write"]);

beforeAll(async () => {
  as = await startAsDouble();
  originalExchange = defaultExchange();
});
afterAll(() => as.close());
beforeEach(() => {
  clearTokenExchangeCache();
  as.exchanges.length = 0;
  as.onExchange = originalExchange;
  as.exchangeDelayMs = 0;
  clock = new ManualClock(Date.now());
});

/** PingFederate with token exchange (`exchange` changes its resolved options), or with `credentials: none`. */
function adapterWith(exchange: Partial<TokenExchangeCredentials> | "none" = {}): AuthAdapter {
  const credentials = exchange === "none" ? { kind: "none" as const } : { kind: "token-exchange" as const, client: CLIENT_ENV, audience: API, ...exchange };
  return createPingFederateAdapter(pingFederateOptions(as.issuer, { credentials }), { scopes: API_SCOPES, clock });
}

async function signIn(adapter: AuthAdapter, extra: JWTPayload = {}): Promise<{ token: string; credentials: UpstreamCredentials }> {
  const token = await as.sign({
    iss: as.issuer,
    aud: RESOURCE,
    sub: "demo",
    scope: "todo_api:read todo_api:write",
    exp: seconds() + 3600,
    jti: crypto.randomUUID(),
    ...extra,
  });
  const outcome = await adapter.authenticate(mcpRequest(`Bearer ${token}`), ENV);
  if (!outcome.ok) throw new Error(`refused: ${outcome.response.status}`);
  return { token, credentials: outcome.credentials };
}

describe("RFC 8693 token exchange", () => {
  it("sends the caller's token as subject_token with the tool's granted scopes and client_secret_basic", async () => {
    const { token, credentials } = await signIn(adapterWith({ resource: "http://127.0.0.1:8787/api" }));
    const headers = await credentials.headersFor(listTodos, ["todo_api:read", "todo_api:write"]);
    expect(headers).toStrictEqual({ authorization: "Bearer exchanged-1" });
    expect(JSON.stringify(headers)).not.toContain(token);
    expect(as.exchanges).toHaveLength(1);
    const [sent] = as.exchanges;
    expect(Object.fromEntries(sent!.form)).toStrictEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      resource: "http://127.0.0.1:8787/api",
      audience: API,
      scope: "todo_api:read",
    });
    expect(basicCredentials(sent!.authorization)).toStrictEqual({ id: "bridge-client", secret: "bridge-secret" });
  });

  it("asks only for the tool's scopes the caller holds", async () => {
    const { credentials } = await signIn(adapterWith());
    await credentials.headersFor(both, ["todo_api:read"]);
    expect(as.exchanges[0]!.form.get("scope")).toBe("todo_api:read");
    expect(as.exchanges[0]!.form.has("resource")).toBe(false);
  });

  it("serves the second call from the cache (one exchange at the IdP)", async () => {
    const { credentials } = await signIn(adapterWith());
    const first = await credentials.headersFor(listTodos, [...SCOPES]);
    const second = await credentials.headersFor(listTodos, [...SCOPES]);
    expect(second).toStrictEqual(first);
    expect(as.exchanges).toHaveLength(1);
  });

  it("keys the cache on the caller's token, not only the request: a later request with the same token hits it", async () => {
    const adapter = adapterWith();
    const token = await as.sign({ iss: as.issuer, aud: RESOURCE, sub: "demo", scope: "todo_api:read", exp: seconds() + 3600 });
    for (let i = 0; i < 3; i++) {
      const outcome = await adapter.authenticate(mcpRequest(`Bearer ${token}`), ENV);
      if (!outcome.ok) throw new Error("refused");
      await outcome.credentials.headersFor(listTodos, ["todo_api:read"]);
    }
    expect(as.exchanges).toHaveLength(1);
  });

  it("exchanges separately for different scope sets and different callers", async () => {
    const adapter = adapterWith();
    const { credentials } = await signIn(adapter);
    await credentials.headersFor(listTodos, [...SCOPES]);
    await credentials.headersFor(createTodo, [...SCOPES]);
    await credentials.headersFor(both, [...SCOPES]);
    await credentials.headersFor(both, ["todo_api:write", "todo_api:read"]);
    expect(as.exchanges.map((e) => e.form.get("scope"))).toStrictEqual(["todo_api:read", "todo_api:write", "todo_api:read todo_api:write"]);
    const other = await signIn(adapter, { sub: "reader" });
    await other.credentials.headersFor(listTodos, [...SCOPES]);
    expect(as.exchanges).toHaveLength(4);
  });

  it("coalesces concurrent misses: 10 parallel calls make one exchange", async () => {
    as.exchangeDelayMs = 50;
    const { credentials } = await signIn(adapterWith());
    const results = await Promise.all(Array.from({ length: 10 }, () => credentials.headersFor(listTodos, [...SCOPES])));
    expect(new Set(results.map((h) => h["authorization"]))).toStrictEqual(new Set(["Bearer exchanged-1"]));
    expect(as.exchanges).toHaveLength(1);
  });

  it("refreshes 60 s before the exchanged token expires", async () => {
    as.onExchange = (_request, n) => ({ status: 200, body: { access_token: `short-${n}`, token_type: "Bearer", expires_in: 120 } });
    const { credentials } = await signIn(adapterWith());
    expect(await credentials.headersFor(listTodos, [...SCOPES])).toStrictEqual({ authorization: "Bearer short-1" });
    await clock.advance(59_000);
    expect(await credentials.headersFor(listTodos, [...SCOPES])).toStrictEqual({ authorization: "Bearer short-1" });
    await clock.advance(2_000);
    expect(await credentials.headersFor(listTodos, [...SCOPES])).toStrictEqual({ authorization: "Bearer short-2" });
    expect(as.exchanges).toHaveLength(2);
  });

  it("does not cache a token without expires_in", async () => {
    as.onExchange = (_request, n) => ({ status: 200, body: { access_token: `t-${n}`, token_type: "Bearer" } });
    const { credentials } = await signIn(adapterWith());
    await credentials.headersFor(listTodos, [...SCOPES]);
    await credentials.headersFor(listTodos, [...SCOPES]);
    expect(as.exchanges).toHaveLength(2);
  });

  it("turns invalid_grant into ReauthenticationRequired without the token in the message, and does not cache it", async () => {
    as.onExchange = () => ({ status: 400, body: { error: "invalid_grant", error_description: "subject token revoked" } });
    const { token, credentials } = await signIn(adapterWith());
    const error = await credentials.headersFor(listTodos, [...SCOPES]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthenticationRequired);
    expect((error as ReauthenticationRequired).code).toBe("ERR_REAUTHENTICATION_REQUIRED");
    expect((error as Error).message).toContain("invalid_grant");
    expect(String((error as Error).message)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    as.onExchange = originalExchange;
    expect(await credentials.headersFor(listTodos, [...SCOPES])).toStrictEqual({ authorization: "Bearer exchanged-2" });
  });

  it("sorts other IdP answers: a refusal of the bridge's client, a token it cannot use, an IdP that is down", async () => {
    as.onExchange = () => ({ status: 401, body: { error: "invalid_client" } });
    const { credentials } = await signIn(adapterWith());
    const refused = await credentials.headersFor(listTodos, [...SCOPES]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IdentityProviderRefused);
    expect(refused).toMatchObject({ code: "ERR_IDP_REFUSED", detail: { endpoint: "token", oauthError: "invalid_client" } });
    as.onExchange = () => ({ status: 200, body: { access_token: "x", token_type: "DPoP", expires_in: 60 } });
    await expect(credentials.headersFor(listTodos, [...SCOPES])).rejects.toThrow(IdentityProviderResponseInvalid);
    as.onExchange = () => ({ status: 200, body: { access_token: "x", token_type: "N_A", issued_token_type: "urn:ietf:params:oauth:token-type:id_token" } });
    await expect(credentials.headersFor(listTodos, [...SCOPES])).rejects.toThrow(IdentityProviderResponseInvalid);
    as.onExchange = () => ({ status: 503, body: { error: "temporarily_unavailable" } });
    await expect(credentials.headersFor(listTodos, [...SCOPES])).rejects.toThrow(IdentityProviderUnavailable);
  });

  it("fails clearly when the client secret is not in env", async () => {
    const adapter = adapterWith();
    const token = await as.sign({ iss: as.issuer, aud: RESOURCE, sub: "demo", exp: seconds() + 3600 });
    const outcome = await adapter.authenticate(mcpRequest(`Bearer ${token}`), { PF_CLIENT_ID: "bridge-client" });
    if (!outcome.ok) throw new Error("refused");
    const error = await outcome.credentials.headersFor(listTodos, [...SCOPES]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentIncomplete);
    expect((error as Error).message).toMatch(/PF_CLIENT_SECRET/);
    expect(as.exchanges).toHaveLength(0);
  });

  it("sends no credentials with upstream.credentials: none", async () => {
    const { credentials } = await signIn(adapterWith("none"));
    expect(await credentials.headersFor(listTodos, [...SCOPES])).toStrictEqual({});
    expect(as.exchanges).toHaveLength(0);
  });
});
