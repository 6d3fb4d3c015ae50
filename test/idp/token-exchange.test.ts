import { SignJWT, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdentityProvider, type RunningIdentityProvider } from "../../scripts/idp/server.ts";
import { obtainTokens, registerPublicClient, tokenRequest } from "./helpers.ts";

const BRIDGE = "http://127.0.0.1:8788/mcp";
const API = "http://127.0.0.1:8787";
const BRIDGE_CLIENT: [string, string] = ["mcp-bridge", "mcp-bridge-secret"];
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const DEMO = { login: "demo", password: "demo" };

let idp: RunningIdentityProvider;
let subjectToken: string;
let readerToken: string;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
  const { client_id } = await registerPublicClient(idp.issuer);
  const tokens = await obtainTokens({
    issuer: idp.issuer, clientId: client_id, user: DEMO, scope: "todo_api:read todo_api:write", resource: BRIDGE,
  });
  subjectToken = tokens.body["access_token"] as string;
  const reader = await obtainTokens({
    issuer: idp.issuer, clientId: client_id, user: { login: "reader", password: "reader" },
    scope: "todo_api:read todo_api:write", resource: BRIDGE,
  });
  readerToken = reader.body["access_token"] as string;
});
afterAll(() => idp.close());

const exchange = (params: Record<string, string>, auth: [string, string] = BRIDGE_CLIENT) =>
  tokenRequest(
    idp.issuer,
    { grant_type: EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN, ...params },
    auth,
  );

describe("RFC 8693 token exchange", () => {
  it("trades the bridge token for a down-scoped API token naming the bridge as actor", async () => {
    const before = idp.stats.exchanges;
    const { status, body } = await exchange({ resource: API, scope: "todo_api:read" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: "Bearer", scope: "todo_api:read" });
    expect(body["expires_in"]).toBeGreaterThan(0);
    expect(body["expires_in"]).toBeLessThanOrEqual(300);
    expect(body).not.toHaveProperty("refresh_token");

    const keys = createRemoteJWKSet(new URL(`${idp.issuer}/pf/JWKS`));
    const { payload } = await jwtVerify(body["access_token"] as string, keys, {
      issuer: idp.issuer, audience: API, typ: "at+jwt",
    });
    expect(payload).toMatchObject({ sub: "demo", aud: API, scope: "todo_api:read", act: { sub: "mcp-bridge" } });
    expect(payload["client_id"]).toBe("mcp-bridge");
    expect(idp.stats.exchanges).toBe(before + 1);
  });

  it("accepts the target as `audience`, and keeps the subject's scopes when none are asked for", async () => {
    const { status, body } = await exchange({ audience: API });
    expect(status).toBe(200);
    expect(decodeJwt(body["access_token"] as string)).toMatchObject({ aud: API, scope: "todo_api:read todo_api:write" });
  });

  it("refuses scopes the subject token does not hold with invalid_scope", async () => {
    const { status, body } = await exchange({ resource: API, scope: "todo_api:read todo_api:admin" });
    expect(status).toBe(400);
    expect(body["error"]).toBe("invalid_scope");
    // reader's bridge token holds only read: asking to exchange it for write is up-scoping.
    const asReader = await exchange({ subject_token: readerToken, resource: API, scope: "todo_api:write" });
    expect(asReader.status).toBe(400);
    expect(asReader.body["error"]).toBe("invalid_scope");
    expect((await exchange({ subject_token: readerToken, resource: API })).body["scope"]).toBe("todo_api:read");
  });

  it("refuses another target with invalid_target", async () => {
    const { status, body } = await exchange({ resource: "https://elsewhere.example/api" });
    expect(status).toBe(400);
    expect(body["error"]).toBe("invalid_target");
  });

  it("refuses a forged subject token with invalid_grant", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ ...decodeJwt(subjectToken) })
      .setProtectedHeader({ ...decodeProtectedHeader(subjectToken), alg: "RS256" })
      .sign(privateKey);
    const { status, body } = await exchange({ subject_token: forged, resource: API });
    expect(status).toBe(400);
    expect(body["error"]).toBe("invalid_grant");
  });

  it("refuses an API token (wrong audience) as subject with invalid_grant", async () => {
    const apiToken = (await exchange({ resource: API })).body["access_token"] as string;
    const { status, body } = await exchange({ subject_token: apiToken, resource: API });
    expect(status).toBe(400);
    expect(body["error"]).toBe("invalid_grant");
  });

  it("refuses a wrong client secret with invalid_client", async () => {
    const { status, body } = await exchange({ resource: API }, ["mcp-bridge", "wrong"]);
    expect(status).toBe(401);
    expect(body["error"]).toBe("invalid_client");
  });

  it("refuses a public DCR client even if it registered the grant", async () => {
    const client = await registerPublicClient(idp.issuer, {
      grant_types: ["authorization_code", "refresh_token", EXCHANGE],
    });
    const response = await tokenRequest(idp.issuer, {
      grant_type: EXCHANGE, client_id: client.client_id, subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN, resource: API,
    });
    expect(response.status).toBe(400);
    expect(response.body["error"]).toBe("unauthorized_client");
  });

  it("requires the access_token subject_token_type", async () => {
    const { status, body } = await exchange({
      resource: API, subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    });
    expect(status).toBe(400);
    expect(body["error"]).toBe("invalid_request");
  });
});

describe("expired subject tokens", () => {
  let shortLived: RunningIdentityProvider;
  beforeAll(async () => {
    shortLived = await startIdentityProvider({ port: 0, accessTokenTtl: 1 });
  });
  afterAll(() => shortLived.close());

  it("refuses an expired subject token with invalid_grant", async () => {
    const { client_id } = await registerPublicClient(shortLived.issuer);
    const tokens = await obtainTokens({
      issuer: shortLived.issuer, clientId: client_id, user: DEMO, scope: "todo_api:read", resource: BRIDGE,
    });
    const token = tokens.body["access_token"] as string;
    const fresh = await tokenRequest(
      shortLived.issuer,
      { grant_type: EXCHANGE, subject_token: token, subject_token_type: ACCESS_TOKEN, resource: API },
      BRIDGE_CLIENT,
    );
    expect(fresh.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await tokenRequest(
      shortLived.issuer,
      { grant_type: EXCHANGE, subject_token: token, subject_token_type: ACCESS_TOKEN, resource: API },
      BRIDGE_CLIENT,
    );
    expect(response.status).toBe(400);
    expect(response.body["error"]).toBe("invalid_grant");
  });
});

describe("opaque tokens and introspection", () => {
  it("gives a client registered with access_token_format=opaque opaque tokens the bridge can introspect", async () => {
    const { client_id } = await registerPublicClient(idp.issuer, { access_token_format: "opaque" });
    const tokens = await obtainTokens({
      issuer: idp.issuer, clientId: client_id, user: DEMO, scope: "todo_api:read", resource: BRIDGE,
    });
    const token = tokens.body["access_token"] as string;
    expect(token.split(".")).toHaveLength(1);

    const introspect = async (value: string) => {
      const response = await fetch(`${idp.issuer}/as/introspect.oauth2`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(BRIDGE_CLIENT.join(":")).toString("base64")}`,
        },
        body: new URLSearchParams({ token: value }),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await introspect(token)).toMatchObject({
      active: true, sub: "demo", aud: BRIDGE, scope: "todo_api:read", client_id, token_type: "Bearer",
    });
    expect(await introspect("not-a-token")).toEqual({ active: false });

    // Exchange takes JWT subject tokens only.
    const response = await tokenRequest(
      idp.issuer,
      { grant_type: EXCHANGE, subject_token: token, subject_token_type: ACCESS_TOKEN, resource: API },
      BRIDGE_CLIENT,
    );
    expect(response.body["error"]).toBe("invalid_grant");
  });
});
