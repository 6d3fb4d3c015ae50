/**
 * The Node-testable parts of the PingOne adapter: bridge.yaml checks (pingone-config.ts, through adapterFor), the
 * upstream OIDC client (oidc-upstream.ts) against a scripted IdP, and the consent page's escaping. The adapter itself
 * (pingone.ts, which needs workerd for workers-oauth-provider) is covered end to end in test/e2e/pingone.test.ts.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consentPage, escapeHtml, errorPage } from "../../../src/auth/consent-page.ts";
import { AuthConfigError, ReauthenticationRequired, UpstreamCredentialsError } from "../../../src/auth/errors.ts";
import { adapterFor } from "../../../src/auth/index.ts";
import { clearUpstreamDiscoveryCache, createOidcUpstream } from "../../../src/auth/oidc-upstream.ts";
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import { API, RESOURCE } from "./fixtures.ts";

const ISSUER = "https://auth.pingone.eu/env-1/as";
const CLIENT = { clientId: "bridge", clientSecret: "s3cret" };
const CALLBACK = "http://127.0.0.1:8788/oauth/callback";

type PingOne = Extract<RuntimeConfig["identity"], { provider: "pingone" }>;

function pingOneConfig(identity: Partial<PingOne> = {}, upstream: Partial<RuntimeConfig["upstream"]> = {}): RuntimeConfig {
  return {
    api: { name: "todo", title: "Todo API", version: "1.0.0", timeoutMs: 30_000, maxResponseBytes: 1_048_576, baseUrl: API },
    identity: {
      provider: "pingone",
      issuer: ISSUER,
      resource: RESOURCE,
      client: { idEnv: "P1_ID", secretEnv: "P1_SECRET" },
      loginScopes: ["openid", "profile", "email", "offline_access"],
      ...identity,
    },
    upstream: { credentials: "upstream-token", resource: API, ...upstream },
  };
}

describe("adapterFor with identity.provider: pingone", () => {
  it("builds the adapter (loaded on first request) for upstream-token with upstream.resource", () => {
    const adapter = adapterFor(pingOneConfig());
    expect(typeof adapter.authenticate).toBe("function");
    expect(typeof adapter.handle).toBe("function");
  });

  it("refuses token-exchange and access-linked-app, upstream-token without the API resource, and plain http", () => {
    expect(() => adapterFor(pingOneConfig({}, { credentials: "token-exchange" }))).toThrow(AuthConfigError);
    expect(() => adapterFor(pingOneConfig({}, { credentials: "access-linked-app" }))).toThrow(AuthConfigError);
    expect(() => adapterFor(pingOneConfig({}, { resource: undefined }))).toThrow(/upstream\.resource/);
    expect(() => adapterFor(pingOneConfig({ issuer: "http://auth.pingone.eu/env/as" }))).toThrow(/must use https/);
    expect(() => adapterFor(pingOneConfig({}, { credentials: "none", resource: undefined }))).not.toThrow();
  });
});

describe("identity.clientIdMetadataDocuments", () => {
  const runtime = globalThis as { Cloudflare?: unknown };
  afterEach(() => {
    delete runtime.Cloudflare;
  });

  it("needs the global_fetch_strictly_public compatibility flag, checked when the adapter is chosen", () => {
    expect(() => adapterFor(pingOneConfig({ clientIdMetadataDocuments: true }))).toThrow(
      /clientIdMetadataDocuments: true needs the compatibility flag global_fetch_strictly_public/,
    );
    runtime.Cloudflare = { compatibilityFlags: { global_fetch_strictly_public: false } };
    expect(() => adapterFor(pingOneConfig({ clientIdMetadataDocuments: true }))).toThrow(AuthConfigError);
    runtime.Cloudflare = { compatibilityFlags: { global_fetch_strictly_public: true } };
    expect(() => adapterFor(pingOneConfig({ clientIdMetadataDocuments: true }))).not.toThrow();
    // Off (the default) needs nothing.
    delete runtime.Cloudflare;
    expect(() => adapterFor(pingOneConfig({ clientIdMetadataDocuments: false }))).not.toThrow();
  });

  it("is refused for self-hosted Access, which has no OAuth flow for MCP clients", () => {
    runtime.Cloudflare = { compatibilityFlags: { global_fetch_strictly_public: true } };
    const config: RuntimeConfig = {
      ...pingOneConfig(),
      identity: { provider: "access", mode: "self-hosted", teamDomain: "https://team.cloudflareaccess.com", aud: "aud", resource: RESOURCE, clientIdMetadataDocuments: true },
      upstream: { credentials: "none" },
    };
    expect(() => adapterFor(config)).toThrow(/applies to identity.mode: saas only/);
  });
});

/** A scripted OpenID provider: discovery, and a token endpoint answering what the test queues. */
async function scriptedIdp() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const tokenResponses: Response[] = [];
  const requests: { url: string; body: URLSearchParams; authorization: string | null }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
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
  return { fetchImpl, tokenResponses, requests, idToken };
}

describe("oidc-upstream (the bridge as PingOne's confidential client)", () => {
  beforeEach(() => clearUpstreamDiscoveryCache());
  const now = () => 1_800_000_000_000;

  it("builds the authorization request: code, PKCE S256, nonce, state, resource, acr_values, login + API scopes", async () => {
    const idp = await scriptedIdp();
    const upstream = createOidcUpstream({
      issuer: ISSUER,
      redirectUri: CALLBACK,
      resource: API,
      acrValues: "policy-123",
      loginScopes: ["openid", "email"],
      fetch: idp.fetchImpl,
      now,
    });
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

  it("redeems the code with client_secret_basic, the verifier and resource; validates the ID token's nonce", async () => {
    const idp = await scriptedIdp();
    const upstream = createOidcUpstream({ issuer: ISSUER, redirectUri: CALLBACK, resource: API, loginScopes: ["openid"], fetch: idp.fetchImpl, now: Date.now });
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
    expect(login.tokens.expiresAt).toBeGreaterThan(Date.now() / 1000 + 1100);
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
    const upstream = createOidcUpstream({ issuer: ISSUER, redirectUri: CALLBACK, loginScopes: ["openid"], fetch: idp.fetchImpl, now: Date.now });
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
    const upstream = createOidcUpstream({ issuer: ISSUER, redirectUri: CALLBACK, resource: API, loginScopes: ["openid"], fetch: idp.fetchImpl, now });
    idp.tokenResponses.push(Response.json({ access_token: "at-2", token_type: "Bearer", expires_in: 900 }));
    const refreshed = await upstream.refresh(CLIENT, "rt-1");
    expect(refreshed).toEqual({ accessToken: "at-2", refreshToken: "rt-1", expiresAt: now() / 1000 + 900 });
    expect(Object.fromEntries(idp.requests[0]!.body)).toMatchObject({ grant_type: "refresh_token", refresh_token: "rt-1", resource: API });

    idp.tokenResponses.push(Response.json({ error: "invalid_grant" }, { status: 400 }));
    await expect(upstream.refresh(CLIENT, "rt-1")).rejects.toBeInstanceOf(ReauthenticationRequired);
    idp.tokenResponses.push(Response.json({ error: "server_error" }, { status: 500 }));
    await expect(upstream.refresh(CLIENT, "rt-1")).rejects.toBeInstanceOf(UpstreamCredentialsError);
  });

  it("an unreachable issuer is an UpstreamCredentialsError, retried on the next call", async () => {
    let up = false;
    const idp = await scriptedIdp();
    const flaky: typeof fetch = async (input, init) => (up ? idp.fetchImpl(input, init) : new Response("down", { status: 503 }));
    const upstream = createOidcUpstream({ issuer: ISSUER, redirectUri: CALLBACK, loginScopes: ["openid"], fetch: flaky, now });
    await expect(upstream.authorizationUrl(CLIENT, "s", upstream.prepare([]))).rejects.toBeInstanceOf(UpstreamCredentialsError);
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
