/**
 * The Node-testable parts of the Access for SaaS adapter (`identity.provider: access`, `mode: saas`): bridge.yaml
 * checks and the provider profile (access-saas-config.ts, through adapterFor), the issuer derived from the team
 * domain and the client id (or the ACCESS_OIDC_ISSUER override), and the upstream OIDC client against a scripted
 * Access issuer (no API scopes asked, groups read from the ID token). The adapter itself (oidc-as.ts, which needs
 * workerd) is covered end to end in test/e2e/access-saas.test.ts.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { accessSaasIssuer, accessSaasProfile, ACCESS_SAAS_LOGIN_SCOPES } from "../../../src/auth/access-saas-config.ts";
import { AuthConfigError, UpstreamCredentialsError } from "../../../src/auth/errors.ts";
import { adapterFor } from "../../../src/auth/index.ts";
import { clearUpstreamDiscoveryCache, createOidcUpstream } from "../../../src/auth/oidc-upstream.ts";
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import { API, RESOURCE } from "./fixtures.ts";

const TEAM = "https://team.cloudflareaccess.com";
const CLIENT = { clientId: "0123abcd", clientSecret: "s3cret" };
const ISSUER = `${TEAM}/cdn-cgi/access/sso/oidc/${CLIENT.clientId}`;
const CALLBACK = "http://127.0.0.1:8788/oauth/callback";

type Access = Extract<RuntimeConfig["identity"], { provider: "access" }>;

function saasConfig(identity: Partial<Access> = {}, upstream: Partial<RuntimeConfig["upstream"]> = {}): RuntimeConfig {
  return {
    api: { name: "todo", title: "Todo API", version: "1.0.0", timeoutMs: 30_000, maxResponseBytes: 1_048_576, baseUrl: API },
    identity: {
      provider: "access",
      mode: "saas",
      teamDomain: TEAM,
      resource: RESOURCE,
      client: { idEnv: "ACCESS_ID", secretEnv: "ACCESS_SECRET" },
      ...identity,
    },
    upstream: { credentials: "upstream-token", ...upstream },
  };
}

describe("adapterFor with identity.provider: access, mode: saas", () => {
  it("builds an adapter that serves the bridge's OAuth endpoints (no more 503)", () => {
    const adapter = adapterFor(saasConfig());
    expect(adapter.handle).toBeTypeOf("function");
    expect(adapter.authenticate).toBeTypeOf("function");
  });

  it("refuses a missing client, other upstream credentials, plain http and a team domain with a path", () => {
    expect(() => adapterFor(saasConfig({ client: undefined }))).toThrow(/needs identity.client/);
    expect(() => adapterFor(saasConfig({}, { credentials: "token-exchange" }))).toThrow(AuthConfigError);
    expect(() => adapterFor(saasConfig({}, { credentials: "access-linked-app" }))).toThrow(/upstream-token/);
    expect(() => adapterFor(saasConfig({}, { credentials: "none" }))).not.toThrow();
    expect(() => adapterFor(saasConfig({ teamDomain: "http://team.cloudflareaccess.com" }))).toThrow(/https/);
    expect(() => adapterFor(saasConfig({ resource: "http://bridge.example.com/mcp" }))).toThrow(/https/);
    expect(() => adapterFor(saasConfig({ teamDomain: `${TEAM}/cdn-cgi` }))).toThrow(/origin/);
  });
});

describe("the Access for SaaS provider profile", () => {
  const env = { ACCESS_ID: CLIENT.clientId, ACCESS_SECRET: CLIENT.clientSecret };

  it("derives the issuer from the team domain and the client id at request time", () => {
    expect(accessSaasIssuer(`${TEAM}/`, "a b")).toBe(`${TEAM}/cdn-cgi/access/sso/oidc/a%20b`);
    const profile = accessSaasProfile(saasConfig({ teamDomain: `${TEAM}/` }));
    expect(profile.issuer(env, CLIENT)).toBe(ISSUER);
    expect(profile.issuer(env, { ...CLIENT, clientId: "other" })).toBe(`${TEAM}/cdn-cgi/access/sso/oidc/other`);
  });

  it("ACCESS_OIDC_ISSUER overrides the derived issuer; it must be https (or loopback http)", () => {
    const profile = accessSaasProfile(saasConfig());
    expect(profile.issuer({ ...env, ACCESS_OIDC_ISSUER: "http://127.0.0.1:9031" }, CLIENT)).toBe("http://127.0.0.1:9031");
    expect(profile.issuer({ ...env, ACCESS_OIDC_ISSUER: "" }, CLIENT)).toBe(ISSUER);
    expect(() => profile.issuer({ ...env, ACCESS_OIDC_ISSUER: "http://idp.example.com" }, CLIENT)).toThrow(UpstreamCredentialsError);
    expect(() => profile.issuer({ ...env, ACCESS_OIDC_ISSUER: "not a url" }, CLIENT)).toThrow(UpstreamCredentialsError);
  });

  it("asks Access for OIDC scopes only, sends no resource, and gives the identity no token scopes", () => {
    const profile = accessSaasProfile(saasConfig({}, { resource: API }));
    expect(profile.loginScopes).toEqual(ACCESS_SAAS_LOGIN_SCOPES);
    expect(profile.issuesApiScopes).toBe(false);
    expect(profile.upstreamResource).toBeUndefined();
    expect(profile.client).toEqual({ idEnv: "ACCESS_ID", secretEnv: "ACCESS_SECRET" });
  });
});

/** A scripted Access for SaaS issuer: discovery and endpoints below `/cdn-cgi/access/sso/oidc/<client id>`. */
async function scriptedAccess() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const tokenResponses: Response[] = [];
  const base = new URL(ISSUER).pathname;
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === `${base}/.well-known/openid-configuration`) {
      return Response.json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorization`,
        token_endpoint: `${ISSUER}/token`,
        userinfo_endpoint: `${ISSUER}/userinfo`,
        jwks_uri: `${ISSUER}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (path === `${base}/jwks`) return Response.json({ keys: [jwk] });
    if (path === `${base}/token`) return tokenResponses.shift() ?? Response.json({ error: "server_error" }, { status: 500 });
    return new Response("not found", { status: 404 });
  };
  const idToken = (claims: Record<string, unknown>) =>
    new SignJWT({ email: "demo@example.com", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setAudience(CLIENT.clientId)
      .setSubject("access-user-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  return { fetchImpl, tokenResponses, idToken };
}

describe("oidc-upstream against an Access for SaaS issuer", () => {
  beforeEach(() => clearUpstreamDiscoveryCache());

  function upstream(fetchImpl: typeof fetch) {
    return createOidcUpstream({
      issuer: ISSUER,
      redirectUri: CALLBACK,
      loginScopes: ACCESS_SAAS_LOGIN_SCOPES,
      requestApiScopes: false,
      fetch: fetchImpl,
      now: Date.now,
    });
  }

  it("discovers below the issuer path; the authorization request has OIDC scopes only and no resource", async () => {
    const access = await scriptedAccess();
    const pending = upstream(access.fetchImpl).prepare(["todo_api:read", "todo_api:write"]);
    const url = await upstream(access.fetchImpl).authorizationUrl(CLIENT, "st-1", pending);
    expect(url.href.startsWith(`${ISSUER}/authorization?`)).toBe(true);
    expect(url.searchParams.get("scope")).toBe("openid email profile groups");
    expect(url.searchParams.has("resource")).toBe(false);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  });

  it("reads subject, email and groups from the ID token", async () => {
    const access = await scriptedAccess();
    const client = upstream(access.fetchImpl);
    const pending = client.prepare([]);
    access.tokenResponses.push(
      Response.json({
        access_token: "access-at",
        token_type: "Bearer",
        expires_in: 600,
        id_token: await access.idToken({ nonce: pending.nonce, groups: ["admins", 7, "devs"] }),
      }),
    );
    const login = await client.finish(CLIENT, new URL(`${CALLBACK}?code=c0de&state=st-1`), pending);
    expect(login).toMatchObject({ subject: "access-user-1", email: "demo@example.com", groups: ["admins", "devs"] });
    expect(login.tokens.accessToken).toBe("access-at");
    expect(login.tokens.refreshToken).toBeUndefined();
  });

  it("no groups claim → no groups; a single string is one group", async () => {
    const access = await scriptedAccess();
    const client = upstream(access.fetchImpl);
    const first = client.prepare([]);
    access.tokenResponses.push(Response.json({ access_token: "a", token_type: "Bearer", id_token: await access.idToken({ nonce: first.nonce }) }));
    expect((await client.finish(CLIENT, new URL(`${CALLBACK}?code=c&state=s`), first)).groups).toBeUndefined();
    const second = client.prepare([]);
    access.tokenResponses.push(
      Response.json({ access_token: "b", token_type: "Bearer", id_token: await access.idToken({ nonce: second.nonce, groups: "ops" }) }),
    );
    expect((await client.finish(CLIENT, new URL(`${CALLBACK}?code=c&state=s`), second)).groups).toEqual(["ops"]);
  });
});
