/**
 * The helpers that drive the bridge as the OAuth authorization server for MCP clients (PingOne and Access for SaaS
 * modes): a headless cookie-jar browser that crosses from the bridge's consent page to the IdP's login and back, DCR,
 * the authorization URL with PKCE S256, the token endpoint, and raw MCP JSON-RPC calls.
 */
import { expect } from "vitest";
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { CookieJar, parseForms, REDIRECT_URI } from "../idp/helpers.ts";
import { HeadlessOAuthProvider, type User } from "./client.ts";

export const READ = "todo_api:read";
export const WRITE = "todo_api:write";
export const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];
export const DEMO: User = { login: "demo", password: "demo" };

/** The bridge's origin and its MCP URL: all the flow needs of a stack. */
export interface BridgeUrls {
  bridgeUrl: string;
  mcpUrl: string;
}

/** Every page and redirect a browser went through, for assertions. */
export interface Trip {
  landing?: URL;
  /** The last response when the trip stopped without reaching the client's redirect URI. */
  stoppedAt?: { status: number; url: string; body: string; headers: Headers };
  steps: string[];
  consentPages: { html: string; headers: Headers }[];
}

export async function browse(jar: CookieJar, url: string, form?: URLSearchParams): Promise<Response> {
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: { cookie: jar.header(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: form } : {}),
  });
  jar.store(response);
  return response;
}

export async function rpcResult(response: Response): Promise<any> {
  const text = await response.text();
  const data = text.startsWith("{") ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? text);
  return JSON.parse(data);
}

/**
 * The SDK client's "browser": `travel` runs the sign-in from the authorization URL and returns a trip whose `landing`
 * is the client's redirect URI with the code.
 */
export class TravellingSignIn<T extends { landing?: URL | undefined }> extends HeadlessOAuthProvider {
  trip: T | undefined;
  private readonly who: User;
  private readonly go: (start: string, user: User) => Promise<T>;
  constructor(who: User, travel: (start: string, user: User) => Promise<T>, options: { firstScope?: string } = {}) {
    super(who, options);
    this.who = who;
    this.go = travel;
  }
  override async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrl = url;
    this.trip = await this.go(this.narrowed(url).href, this.who);
    this.landing = this.trip.landing;
  }
}

/** The flow's helpers bound to a stack, read when called (the stack starts in `beforeAll`). */
export function oauthFlow(current: () => BridgeUrls) {
  /**
   * A headless browser: follows redirects across the bridge and the IdP, approves the bridge's consent page, fills the
   * IdP's login form, submits its consent form, and stops at the client's redirect URI or at any other page.
   */
  async function travel(start: string, user: User, redirectUri: string, jar = new CookieJar()): Promise<Trip> {
    const stack = current();
    const trip: Trip = { steps: [], consentPages: [] };
    let url = start;
    let response = await browse(jar, url);
    for (let step = 0; step < 25; step++) {
      trip.steps.push(`${response.status} ${new URL(url).origin === stack.bridgeUrl ? "bridge" : "idp"} ${new URL(url).pathname}`);
      const location = response.headers.get("location");
      if (location) {
        const next = new URL(location, url);
        if (next.href.startsWith(redirectUri)) {
          trip.landing = next;
          return trip;
        }
        url = next.href;
        response = await browse(jar, url);
        continue;
      }
      const html = await response.text();
      const form = parseForms(html).find((f) => f.method.toLowerCase() === "post");
      if (response.status !== 200 || !form) {
        trip.stoppedAt = { status: response.status, url, body: html, headers: response.headers };
        return trip;
      }
      const origin = new URL(url).origin;
      if (origin === stack.bridgeUrl) trip.consentPages.push({ html, headers: response.headers });
      const fields = form.action.endsWith("/login") ? { ...form.fields, login: user.login, password: user.password } : form.fields;
      url = new URL(form.action, url).href;
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) params.append(name, value);
      // parseForms keeps one value per name: re-add repeated hidden `scope` fields of the bridge's page.
      if (origin === stack.bridgeUrl) {
        params.delete("scope");
        for (const [, scope] of html.matchAll(/name="scope" value="([^"]*)"/g)) params.append("scope", scope!);
      }
      response = await browse(jar, url, params);
    }
    throw new Error(`too many steps: ${trip.steps.join(" → ")}`);
  }

  class BridgeSignIn extends TravellingSignIn<Trip> {
    constructor(who: User, options: { firstScope?: string } = {}) {
      super(who, (start, user) => travel(start, user, REDIRECT_URI), options);
    }
  }

  async function register(metadata: Record<string, unknown> = {}): Promise<string> {
    const response = await fetch(`${current().bridgeUrl}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Manual test client",
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        ...metadata,
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { client_id: string }).client_id;
  }

  async function authorizeUrl(clientId: string, overrides: Record<string, string> = {}) {
    const stack = current();
    const verifier = generateRandomCodeVerifier();
    const url = new URL(`${stack.bridgeUrl}/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: `${READ} ${WRITE}`,
      state: "client-state",
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      resource: stack.mcpUrl,
      ...overrides,
    }).toString();
    return { url, verifier };
  }

  async function token(params: Record<string, string>) {
    const response = await fetch(`${current().bridgeUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  function rpc(body: unknown, accessToken?: string): Promise<Response> {
    return fetch(current().mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  /** The whole authorization-code flow for `clientId` in a headless browser as `user`: the bridge's access token. */
  async function signInForToken(
    clientId: string,
    user: User,
    overrides: Record<string, string> = {},
  ): Promise<{ accessToken: string; refreshToken: string; trip: Trip }> {
    const { url, verifier } = await authorizeUrl(clientId, overrides);
    const trip = await travel(url.href, user, REDIRECT_URI);
    const code = trip.landing?.searchParams.get("code");
    expect(code, JSON.stringify(trip.stoppedAt ?? trip.steps)).toBeTruthy();
    const issued = await token({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      code_verifier: verifier,
      resource: current().mcpUrl,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    return { accessToken: String(issued.body["access_token"]), refreshToken: String(issued.body["refresh_token"]), trip };
  }

  return { travel, BridgeSignIn, register, authorizeUrl, token, rpc, signInForToken };
}
