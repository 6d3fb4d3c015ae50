/**
 * The MCP client side of the e2e suite: the official SDK v1 client with an in-memory `OAuthClientProvider` whose
 * "browser" is the cookie-jar driver of test/idp/helpers.ts, signing in through the IdP's real HTML pages.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { CookieJar, parseForms, REDIRECT_URI } from "../idp/helpers.ts";

export interface User {
  login: string;
  password: string;
}

/** Holds everything in memory; `redirectToAuthorization` signs `user` in headlessly and keeps the returned code. */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  private client: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier: string | undefined;
  /** The authorization request the SDK built, and where the browser landed (the redirect URI with `code`). */
  authorizationUrl: URL | undefined;
  landing: URL | undefined;

  private readonly user: User;
  /**
   * Scopes asked for at the first sign-in instead of what the SDK asked (a client, or a user, that takes less than
   * everything at first: "signed in with read only"); later sign-ins ask what the SDK asks.
   */
  private firstScope: string | undefined;

  constructor(user: User, options: { firstScope?: string } = {}) {
    this.user = user;
    this.firstScope = options.firstScope;
  }

  /** The authorization URL the browser is sent to: the SDK's, with `firstScope` the first time. */
  protected narrowed(url: URL): URL {
    if (this.firstScope === undefined) return url;
    const narrowed = new URL(url);
    narrowed.searchParams.set("scope", this.firstScope);
    this.firstScope = undefined;
    return narrowed;
  }

  get redirectUrl(): string {
    return REDIRECT_URI;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "e2e MCP client",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrl = url;
    this.landing = await signIn(this.narrowed(url), this.user, REDIRECT_URI);
  }

  /** The authorization code from the last sign-in (throws with the landing URL when there is none). */
  code(): string {
    const code = this.landing?.searchParams.get("code");
    if (!code) throw new Error(`the sign-in did not end with a code: ${this.landing?.href}`);
    return code;
  }

  get accessToken(): string {
    if (!this.saved) throw new Error("no tokens yet");
    return this.saved.access_token;
  }
}

/**
 * A headless browser for one authorization request: follows redirects, fills the login form with `user`, submits
 * the consent form as shown, and returns the URL it is finally sent to (the client's redirect URI).
 */
export async function signIn(authorizationUrl: URL, user: User, redirectUri: string): Promise<URL> {
  const jar = new CookieJar();
  const origin = authorizationUrl.origin;
  let response = await browse(jar, authorizationUrl.href);
  for (let step = 0; step < 20; step++) {
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, response.url || origin);
      if (next.href.startsWith(redirectUri) || next.origin !== origin) return next;
      response = await browse(jar, next.href);
      continue;
    }
    const html = await response.text();
    const form = parseForms(html).find((f) => f.method.toLowerCase() === "post");
    if (response.status !== 200 || !form) throw new Error(`sign-in stopped at ${response.status}: ${html.slice(0, 500)}`);
    const fields = form.action.endsWith("/login") ? { ...form.fields, login: user.login, password: user.password } : form.fields;
    response = await browse(jar, new URL(form.action, origin).href, new URLSearchParams(fields));
  }
  throw new Error("sign-in: too many steps");
}

async function browse(jar: CookieJar, url: string, form?: URLSearchParams): Promise<Response> {
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: { cookie: jar.header(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: form } : {}),
  });
  jar.store(response);
  return response;
}

/** Every URL the SDK fetched (MCP requests, discovery, DCR, token requests), for asserting the OAuth flow. */
export function recordingFetch(log: string[]): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    log.push(`${init?.method ?? (input instanceof Request ? input.method : "GET")} ${url}`);
    return fetch(input, init);
  };
}

/**
 * The SDK's documented flow: connect → 401 → discovery, DCR, PKCE, `redirectToAuthorization` (here: headless sign-in)
 * → UnauthorizedError; then `finishAuth(code)` on that transport and connect again with a fresh one.
 */
export async function connectWithSignIn(mcpUrl: string, provider: HeadlessOAuthProvider, log: string[] = []): Promise<Client> {
  const options = { authProvider: provider, fetch: recordingFetch(log) };
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), options);
  const probe = new Client({ name: "e2e", version: "1.0.0" });
  let unauthorized: unknown;
  try {
    await probe.connect(first);
  } catch (error) {
    unauthorized = error;
  }
  if (!(unauthorized instanceof UnauthorizedError)) {
    throw new Error(`expected the first connect to need authorization, got ${String(unauthorized)}`);
  }
  await first.finishAuth(provider.code());
  await first.close();
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), options));
  return client;
}
