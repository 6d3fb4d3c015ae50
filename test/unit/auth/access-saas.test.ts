/**
 * The Node-testable parts of the OAuth-server adapter with Access for SaaS upstream (`identity.provider: access`,
 * `mode: saas`): the issuer that ends in the client id, and the upstream OIDC client against a scripted Access issuer
 * (no API scopes asked, groups read from the ID token). The adapter itself (oauth-server.ts, which needs workerd) is
 * covered end to end in test/e2e/access-saas.test.ts; what the generator resolves for Access for SaaS, in
 * test/unit/emit/auth-config.test.ts.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { clearUpstreamDiscoveryCache, createOidcUpstream, issuerFor, type OidcProvider } from "../../../src/auth/oidc-upstream.ts";
import { ACCESS_SAAS_LOGIN_SCOPES } from "../../../scripts/generator/emit/auth-config.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

const TEAM = "https://team.cloudflareaccess.com";
const CLIENT = { clientId: "0123abcd", clientSecret: "s3cret" };
const ISSUER = `${TEAM}/cdn-cgi/access/sso/oidc/${CLIENT.clientId}`;
const CALLBACK = "http://127.0.0.1:8788/oauth/callback";

/** What the generator resolves for Access for SaaS on TEAM, less its endpoints (discovery is tested here). */
const PROVIDER: OidcProvider = {
  issuer: `${TEAM}/cdn-cgi/access/sso/oidc`,
  issuerEndsWithClientId: true,
  loginScopes: ACCESS_SAAS_LOGIN_SCOPES,
  issuesApiScopes: false,
};

describe("the Access for SaaS issuer", () => {
  it("is the resolved issuer followed by the client id, one encoded path segment", () => {
    const provider = PROVIDER;
    expect(issuerFor(provider, CLIENT.clientId)).toBe(ISSUER);
    expect(issuerFor(provider, "a b/c")).toBe(`${TEAM}/cdn-cgi/access/sso/oidc/a%20b%2Fc`);
    expect(issuerFor({ ...provider, issuerEndsWithClientId: false }, CLIENT.clientId)).toBe(`${TEAM}/cdn-cgi/access/sso/oidc`);
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

  function upstream(fetchImpl: typeof fetch, provider: Partial<OidcProvider> = {}) {
    return createOidcUpstream({
      provider: { ...PROVIDER, ...provider },
      clientId: CLIENT.clientId,
      redirectUri: CALLBACK,
      fetch: fetchImpl,
      // The ID token's exp and iat are checked by oauth4webapi against the wall clock: ours starts there.
      clock: new ManualClock(Date.now()),
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

  it("with Access's endpoints resolved at generate time, builds the request below the issuer without discovery", async () => {
    const noNetwork: typeof fetch = async (input) => {
      throw new Error(`unexpected fetch of ${String(input)}`);
    };
    const client = upstream(noNetwork, { endpoints: { authorization: "/authorization", token: "/token" } });
    const url = await client.authorizationUrl(CLIENT, "st-1", client.prepare([]));
    expect(url.href.startsWith(`${ISSUER}/authorization?`)).toBe(true);
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
