/**
 * The Node-testable parts of the OAuth-server adapter with PingOne upstream: the lazy lookup, the upstream OIDC client
 * (oidc-upstream.ts) against a scripted IdP, and the consent page's escaping. The adapter itself (oauth-server.ts,
 * which needs workerd for workers-oauth-provider) is covered end to end in test/e2e/pingone.test.ts; what the
 * generator resolves for PingOne, in test/unit/emit/auth-config.test.ts.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { consentPage, escapeHtml, errorPage } from "../../../src/auth/consent-page.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { IdentityProviderUnavailable, ReauthenticationRequired } from "../../../src/auth/errors.ts";
import { adapterFor } from "../../../src/auth/index.ts";
import { clearUpstreamDiscoveryCache, createOidcUpstream, type OidcProvider } from "../../../src/auth/oidc-upstream.ts";
import type { OAuthServerOptions } from "../../../src/auth/oauth-server.ts";
import { API, RESOURCE } from "./fixtures.ts";

const ISSUER = "https://auth.pingone.eu/env-1/as";
const CLIENT = { clientId: "bridge", clientSecret: "s3cret" };
const CALLBACK = "http://127.0.0.1:8788/oauth/callback";

/** What the generator resolves for PingOne at ISSUER (a custom-domain issuer: endpoints from discovery). */
const OPTIONS: OAuthServerOptions = {
  resource: RESOURCE,
  resourceName: "Todo API",
  client: { idEnv: "P1_ID", secretEnv: "P1_SECRET" },
  provider: { issuer: ISSUER, loginScopes: ["openid", "profile", "email", "offline_access"], resource: API, issuesApiScopes: true },
  credentials: "upstream-token",
  clientIdMetadataDocuments: false,
};

describe("adapterFor with the oauth-server adapter", () => {
  it("returns the adapter without importing it (workers-oauth-provider loads on the first request, in workerd)", () => {
    const adapter = adapterFor({ adapter: "oauth-server", options: OPTIONS });
    expect(typeof adapter.authenticate).toBe("function");
    expect(typeof adapter.handle).toBe("function");
  });
});

/** A scripted OpenID provider: discovery, and a token endpoint answering what the test queues. */
async function scriptedIdp() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const tokenResponses: Response[] = [];
  const requests: { url: string; body: URLSearchParams; authorization: string | null }[] = [];
  const fetched: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    fetched.push(url.pathname);
    if (url.pathname === "/env-1/as/.well-known/openid-configuration") {
      return Response.json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorize`,
        token_endpoint: `${ISSUER}/token`,
        jwks_uri: `${ISSUER}/jwks`,
        authorization_response_iss_parameter_supported: true,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (url.pathname === "/env-1/as/jwks") return Response.json({ keys: [jwk] });
    if (url.pathname === "/env-1/as/token") {
      requests.push({ url: request.url, body: new URLSearchParams(await request.text()), authorization: request.headers.get("authorization") });
      return tokenResponses.shift() ?? Response.json({ error: "server_error" }, { status: 500 });
    }
    return new Response("not found", { status: 404 });
  };
  const idToken = (claims: Record<string, unknown>) =>
    new SignJWT({ email: "demo@example.com", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setAudience(CLIENT.clientId)
      .setSubject("user-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  return { fetchImpl, tokenResponses, requests, fetched, idToken };
}

describe("oidc-upstream (the bridge as PingOne's confidential client)", () => {
  beforeEach(() => clearUpstreamDiscoveryCache());
  /** The OIDC client for PingOne at ISSUER (login scope openid only), with `provider` changing the resolved options. */
  const upstreamOf = (fetchImpl: typeof fetch, provider: Partial<OidcProvider> = {}, clock = new ManualClock()) =>
    createOidcUpstream({
      provider: { issuer: ISSUER, loginScopes: ["openid"], issuesApiScopes: true, ...provider },
      clientId: CLIENT.clientId,
      redirectUri: CALLBACK,
      fetch: fetchImpl,
      clock,
    });

  it("builds the authorization request: code, PKCE S256, nonce, state, resource, acr_values, login + API scopes", async () => {
    const idp = await scriptedIdp();
    const upstream = upstreamOf(idp.fetchImpl, { resource: API, acrValues: "policy-123", loginScopes: ["openid", "email"] });
    const pending = upstream.prepare(["todo_api:read"]);
    const url = await upstream.authorizationUrl(CLIENT, "st-1", pending);
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "bridge",
      redirect_uri: CALLBACK,
      scope: "openid email todo_api:read",
      state: "st-1",
      nonce: pending.nonce,
      code_challenge_method: "S256",
      resource: API,
      acr_values: "policy-123",
    });
    expect(url.searchParams.get("code_challenge")).not.toBe(pending.verifier);
  });

  it("with the endpoints resolved at generate time (PingOne's issuer shape), makes no discovery request", async () => {
    const idp = await scriptedIdp();
    const upstream = upstreamOf(idp.fetchImpl, { endpoints: { authorization: "/authorize", token: "/token" } });
    const url = await upstream.authorizationUrl(CLIENT, "st-1", upstream.prepare([]));
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`);
    idp.tokenResponses.push(Response.json({ access_token: "at-2", token_type: "Bearer", expires_in: 900 }));
    expect((await upstream.refresh(CLIENT, "rt-1")).accessToken).toBe("at-2");
    expect(idp.fetched).toEqual(["/env-1/as/token"]);
  });

  it("redeems the code with client_secret_basic, the verifier and resource; validates the ID token's nonce", async () => {
    const idp = await scriptedIdp();
    // The ID token's exp and iat are checked by oauth4webapi against the wall clock: ours starts there.
    const clock = new ManualClock(Date.now());
    const upstream = upstreamOf(idp.fetchImpl, { resource: API }, clock);
    const pending = upstream.prepare(["todo_api:read", "todo_api:write"]);
    idp.tokenResponses.push(
      Response.json({
        access_token: "upstream-at",
        refresh_token: "upstream-rt",
        token_type: "Bearer",
        expires_in: 1200,
        scope: "openid todo_api:read",
        id_token: await idp.idToken({ nonce: pending.nonce }),
      }),
    );
    const callback = new URL(`${CALLBACK}?code=c0de&state=st-1&iss=${encodeURIComponent(ISSUER)}`);
    const login = await upstream.finish(CLIENT, callback, pending);
    expect(login).toMatchObject({ subject: "user-1", email: "demo@example.com", grantedScopes: ["openid", "todo_api:read"] });
    expect(login.tokens).toMatchObject({ accessToken: "upstream-at", refreshToken: "upstream-rt" });
    expect(login.tokens.expiresAt).toBe(Math.floor(clock.now() / 1000) + 1200);
    const sent = idp.requests[0]!;
    expect(sent.authorization).toBe(`Basic ${btoa("bridge:s3cret")}`);
    expect(Object.fromEntries(sent.body)).toMatchObject({
      grant_type: "authorization_code",
      code: "c0de",
      redirect_uri: CALLBACK,
      code_verifier: pending.verifier,
      resource: API,
    });
  });

  it("refuses an ID token with another nonce, and a response from another issuer (RFC 9207)", async () => {
    const idp = await scriptedIdp();
    const upstream = upstreamOf(idp.fetchImpl, {}, new ManualClock(Date.now()));
    const pending = upstream.prepare([]);
    idp.tokenResponses.push(
      Response.json({ access_token: "at", token_type: "Bearer", expires_in: 60, id_token: await idp.idToken({ nonce: "other" }) }),
    );
    const ok = new URL(`${CALLBACK}?code=c&state=s&iss=${encodeURIComponent(ISSUER)}`);
    await expect(upstream.finish(CLIENT, ok, pending)).rejects.toThrow();
    const wrongIssuer = new URL(`${CALLBACK}?code=c&state=s&iss=${encodeURIComponent("https://evil.example/as")}`);
    await expect(upstream.finish(CLIENT, wrongIssuer, pending)).rejects.toThrow();
  });

  it("refresh: new tokens (keeping the refresh token when none is returned); invalid_grant → sign in again", async () => {
    const idp = await scriptedIdp();
    const upstream = upstreamOf(idp.fetchImpl, { resource: API });
    idp.tokenResponses.push(Response.json({ access_token: "at-2", token_type: "Bearer", expires_in: 900 }));
    const refreshed = await upstream.refresh(CLIENT, "rt-1");
    expect(refreshed).toEqual({ accessToken: "at-2", refreshToken: "rt-1", expiresAt: 1_800_000_000 + 900 });
    expect(Object.fromEntries(idp.requests[0]!.body)).toMatchObject({ grant_type: "refresh_token", refresh_token: "rt-1", resource: API });

    idp.tokenResponses.push(Response.json({ error: "invalid_grant" }, { status: 400 }));
    await expect(upstream.refresh(CLIENT, "rt-1")).rejects.toBeInstanceOf(ReauthenticationRequired);
    idp.tokenResponses.push(Response.json({ error: "server_error" }, { status: 500 }));
    await expect(upstream.refresh(CLIENT, "rt-1")).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });

  it("an issuer that answers 503 is IdentityProviderUnavailable (try again), and discovery is retried on the next call", async () => {
    let up = false;
    const idp = await scriptedIdp();
    const flaky: typeof fetch = async (input, init) => (up ? idp.fetchImpl(input, init) : new Response("down", { status: 503 }));
    const upstream = upstreamOf(flaky);
    await expect(upstream.authorizationUrl(CLIENT, "s", upstream.prepare([]))).rejects.toMatchObject({
      code: "ERR_IDP_UNAVAILABLE",
      detail: { endpoint: "discovery" },
    });
    up = true;
    await expect(upstream.authorizationUrl(CLIENT, "s", upstream.prepare([]))).resolves.toBeInstanceOf(URL);
  });
});

describe("consent page", () => {
  const details = {
    clientId: "c-1",
    clientName: `<script>alert("x")</script>`,
    redirectUri: "http://127.0.0.1:6274/cb?a=1&b=<2>",
    redirectHost: "127.0.0.1",
    redirectIsLoopback: true,
    scope: ["todo_api:read"],
  };

  it("escapes everything the client chose and carries only the handle, the decision and the scopes", () => {
    const html = consentPage({
      details,
      handle: `h"><x`,
      scopes: [{ name: "todo_api:read", description: "Read <your> todos" }],
      apiName: "Todo API",
      action: "/authorize",
    });
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
    expect(html).toContain("http://127.0.0.1:6274/cb?a&#61;1&#38;b&#61;&#60;2&#62;");
    expect(html).toContain('value="h&#34;&#62;&#60;x"');
    expect(html).toContain("Read &#60;your&#62; todos");
    expect(html).toContain("an app on your computer");
    const inputs = [...html.matchAll(/<input type="hidden" name="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(inputs)).toEqual(new Set(["handle", "decision", "scope"]));
  });

  it("escapeHtml covers quotes, backticks and equals", () => {
    expect(escapeHtml(`'"\`=&<>`)).toBe("&#39;&#34;&#96;&#61;&#38;&#60;&#62;");
  });

  it("error pages are not cacheable or frameable", () => {
    const response = errorPage(400, "<bad>");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
