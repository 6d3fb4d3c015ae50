/**
 * When the identity provider cannot be reached the adapter answers 503 (not the caller's fault, so no invalid_token
 * that would send clients into a sign-in loop), and explicit endpoints in bridge.yaml replace discovery.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import { startAsDouble, type AsDouble } from "./as-double.ts";
import { API_SCOPES, CLIENT_ENV, ENV, mcpRequest, pingFederateOptions, RESOURCE, tool } from "./fixtures.ts";

let as: AsDouble;
let closedPort: number;

beforeAll(async () => {
  as = await startAsDouble();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => as.close());

const token = () =>
  as.sign({ iss: as.issuer, aud: RESOURCE, sub: "demo", scope: "todo_api:read", exp: Math.floor(Date.now() / 1000) + 600 });

describe("identity provider availability", () => {
  it("answers 503 when discovery fails, and retries discovery on the next request", async () => {
    const adapter = createPingFederateAdapter(pingFederateOptions(`http://127.0.0.1:${closedPort}`), { scopes: API_SCOPES });
    const outcome = await adapter.authenticate(mcpRequest(`Bearer ${await token()}`), ENV);
    expect(!outcome.ok && outcome.response.status).toBe(503);
    expect(!outcome.ok && outcome.response.headers.get("www-authenticate")).toBe(null);
  });

  it("answers 503 when the JWKS cannot be fetched", async () => {
    const options = pingFederateOptions(as.issuer, {
      tokenValidation: { method: "jwt", algorithms: ["RS256"], tokenType: "any", jwksUri: `http://127.0.0.1:${closedPort}/pf/JWKS` },
    });
    const outcome = await createPingFederateAdapter(options, { scopes: API_SCOPES }).authenticate(mcpRequest(`Bearer ${await token()}`), ENV);
    expect(!outcome.ok && outcome.response.status).toBe(503);
  });

  it("uses identity.jwksUri and identity.tokenEndpoint without discovery", async () => {
    const options = pingFederateOptions(as.issuer, {
      tokenValidation: { method: "jwt", algorithms: ["RS256"], tokenType: "any", jwksUri: `${as.issuer}/pf/JWKS` },
      credentials: { kind: "token-exchange", client: CLIENT_ENV, tokenEndpoint: `${as.issuer}/as/token.oauth2`, audience: "http://127.0.0.1:8787" },
    });
    const before = as.discoveryFetches;
    const outcome = await createPingFederateAdapter(options, { scopes: API_SCOPES }).authenticate(mcpRequest(`Bearer ${await token()}`), ENV);
    if (!outcome.ok) throw new Error(`refused: ${outcome.response.status}`);
    expect(await outcome.credentials.headersFor(tool("list_todos", ["todo_api:read"]), ["todo_api:read"])).toStrictEqual({
      authorization: "Bearer exchanged-1",
    });
    expect(as.discoveryFetches).toBe(before);
  });
});
