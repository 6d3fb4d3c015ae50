import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdentityProvider, type RunningIdentityProvider } from "../../scripts/idp/server.ts";
import { REDIRECT_URI, authorize, obtainTokens, parseForms, registerPublicClient, tokenRequest } from "./helpers.ts";

const BRIDGE = "http://127.0.0.1:8788/mcp";
const DEMO = { login: "demo", password: "demo" };
const READER = { login: "reader", password: "reader" };
const ALL = "openid offline_access todo_api:read todo_api:write";

let idp: RunningIdentityProvider;
let clientId: string;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
  clientId = (await registerPublicClient(idp.issuer)).client_id;
});
afterAll(() => idp.close());

async function verify(token: string) {
  const keys = createRemoteJWKSet(new URL(`${idp.issuer}/pf/JWKS`));
  return (await jwtVerify(token, keys, { issuer: idp.issuer, audience: BRIDGE, typ: "at+jwt" })).payload;
}

describe("dynamic client registration", () => {
  it("registers a public client (token_endpoint_auth_method none) without an initial access token", async () => {
    const client = await registerPublicClient(idp.issuer);
    expect(client).toMatchObject({ token_endpoint_auth_method: "none", redirect_uris: [REDIRECT_URI] });
    expect(client).not.toHaveProperty("client_secret");
    expect(idp.stats.registrations).toBeGreaterThanOrEqual(2);
  });
});

describe("authorization code + PKCE through the login and consent pages", () => {
  it("gives demo a JWT for the bridge with both API scopes, verifiable with /pf/JWKS", async () => {
    const { redirect, pages } = await authorize({ issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: BRIDGE });
    expect(pages).toHaveLength(2); // login, then consent
    expect(parseForms(pages[0] ?? "")[0]?.action).toMatch(/^\/interaction\/[^/]+\/login$/);
    expect(pages[1]).toContain("todo_api:write");
    expect(redirect?.searchParams.get("state")).toBe("st4te");
    expect(redirect?.searchParams.get("iss")).toBe(idp.issuer); // RFC 9207

    const tokens = await obtainTokens({ issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: BRIDGE });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "Bearer", scope: "todo_api:read todo_api:write" });
    const claims = await verify(tokens.body["access_token"] as string);
    expect(claims).toMatchObject({ sub: "demo", aud: BRIDGE, client_id: clientId, scope: "todo_api:read todo_api:write" });
    expect(typeof tokens.body["refresh_token"]).toBe("string");
  });

  it("defaults the resource to the bridge when the client names none", async () => {
    const tokens = await obtainTokens({ issuer: idp.issuer, clientId, user: DEMO, scope: "todo_api:read" });
    expect(tokens.status).toBe(200);
    expect(await verify(tokens.body["access_token"] as string)).toMatchObject({ aud: BRIDGE, scope: "todo_api:read" });
  });

  it("grants reader only read, even when the client asks for write", async () => {
    const { pages, redirect, verifier } = await authorize({
      issuer: idp.issuer, clientId, user: READER, scope: ALL, resource: BRIDGE,
    });
    expect(pages[1]).toMatch(/cannot grant[\s\S]*todo_api:write/);
    const tokens = await tokenRequest(idp.issuer, {
      grant_type: "authorization_code", client_id: clientId, code: redirect?.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI, code_verifier: verifier, resource: BRIDGE,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body["scope"]).toBe("todo_api:read");
    expect(await verify(tokens.body["access_token"] as string)).toMatchObject({ sub: "reader", scope: "todo_api:read" });
  });

  it("shows a wrong password as an error on the login page", async () => {
    const result = await authorize({
      issuer: idp.issuer, clientId, user: { login: "demo", password: "nope" }, scope: ALL, resource: BRIDGE,
    });
    expect(result.redirect).toBeUndefined();
    expect(result.status).toBe(401);
    expect(result.pages.at(-1)).toContain("Invalid username or password");
  });

  it("refuses plain PKCE", async () => {
    const { redirect } = await authorize({
      issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: BRIDGE, codeChallengeMethod: "plain",
    });
    expect(redirect?.searchParams.get("error")).toBe("invalid_request");
    expect(redirect?.searchParams.get("code")).toBeNull();
  });

  it("refuses an unregistered redirect_uri without redirecting to it", async () => {
    const result = await authorize({
      issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: BRIDGE,
      redirectUri: "http://127.0.0.1:6274/evil",
    });
    expect(result.redirect).toBeUndefined();
    expect(result.status).toBe(400);
    expect(result.pages.join("")).toContain("redirect_uri");
  });

  it("refuses a resource other than the bridge", async () => {
    const { redirect } = await authorize({
      issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: "http://127.0.0.1:8787",
    });
    expect(redirect?.searchParams.get("error")).toBe("invalid_target");
  });

  it("rotates refresh tokens and refuses a used one", async () => {
    const first = await obtainTokens({ issuer: idp.issuer, clientId, user: DEMO, scope: ALL, resource: BRIDGE });
    const refresh = first.body["refresh_token"] as string;
    const second = await tokenRequest(idp.issuer, { grant_type: "refresh_token", client_id: clientId, refresh_token: refresh });
    expect(second.status).toBe(200);
    expect(second.body["refresh_token"]).toEqual(expect.any(String));
    expect(second.body["refresh_token"]).not.toBe(refresh);
    const claims = await verify(second.body["access_token"] as string);
    expect(claims).toMatchObject({ sub: "demo", aud: BRIDGE, scope: "todo_api:read todo_api:write" });
    expect(decodeJwt(second.body["access_token"] as string).jti).not.toBe(decodeJwt(first.body["access_token"] as string).jti);

    const replay = await tokenRequest(idp.issuer, { grant_type: "refresh_token", client_id: clientId, refresh_token: refresh });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("puts the email claim in the ID token when openid email is asked for", async () => {
    const tokens = await obtainTokens({ issuer: idp.issuer, clientId, user: DEMO, scope: "openid email todo_api:read" });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body["id_token"] as string)).toMatchObject({
      iss: idp.issuer, aud: clientId, sub: "demo", email: "demo@example.com",
    });
  });

  it("issues no refresh token without offline_access", async () => {
    const tokens = await obtainTokens({ issuer: idp.issuer, clientId, user: DEMO, scope: "todo_api:read", resource: BRIDGE });
    expect(tokens.status).toBe(200);
    expect(tokens.body).not.toHaveProperty("refresh_token");
  });
});
