/** A tiny browser and OAuth client for driving the local identity provider in tests: fetch plus a cookie jar. */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";

export const REDIRECT_URI = "http://127.0.0.1:6274/oauth/callback";

/** Cookies by name for one host (the provider is the only origin the browser visits). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expires = attributes.find((a) => a.trim().toLowerCase().startsWith("expires="));
      const expired = expires !== undefined && Date.parse(expires.split("=")[1] ?? "") < Date.now();
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** `fields`: one value per hidden input name; `pairs`: every hidden input in order (names may repeat, e.g. `scope`). */
export type HtmlForm = { action: string; method: string; fields: Record<string, string>; pairs: [string, string][] };

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const unescape = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);

/** The POST forms of a page with their hidden fields, parsed just well enough for our own templates. */
export function parseForms(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs = "", inner = ""]) => {
    const attr = (source: string, name: string) => unescape(new RegExp(`${name}="([^"]*)"`).exec(source)?.[1] ?? "");
    const pairs: [string, string][] = [];
    for (const [, input = ""] of inner.matchAll(/<input\b([^>]*)>/g)) {
      if (attr(input, "type") === "hidden") pairs.push([attr(input, "name"), attr(input, "value")]);
    }
    return { action: attr(attrs, "action"), method: attr(attrs, "method") || "get", fields: Object.fromEntries(pairs), pairs };
  });
}

export async function registerPublicClient(issuer: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${issuer}/as/clients.oauth2`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Test MCP client",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      ...extra,
    }),
  });
  if (response.status !== 201) throw new Error(`DCR failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string; [key: string]: unknown };
}

export type AuthorizeInput = {
  issuer: string;
  clientId: string;
  user: { login: string; password: string };
  scope: string;
  resource?: string;
  redirectUri?: string;
  codeChallengeMethod?: string;
};

/**
 * Runs the authorization request through the real login and consent pages and returns where the browser finally
 * lands (the client's redirect URI with `code` or `error`), or the provider's own error page response.
 */
export async function authorize(input: AuthorizeInput) {
  const verifier = generateRandomCodeVerifier();
  const method = input.codeChallengeMethod ?? "S256";
  const challenge = method === "S256" ? await calculatePKCECodeChallenge(verifier) : verifier;
  const redirectUri = input.redirectUri ?? REDIRECT_URI;
  const url = new URL(`${input.issuer}/as/authorization.oauth2`);
  url.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: input.scope,
    state: "st4te",
    code_challenge: challenge,
    code_challenge_method: method,
    ...(input.resource ? { resource: input.resource } : {}),
  }).toString();

  const jar = new CookieJar();
  let response = await browse(jar, url.href);
  const pages: string[] = [];
  for (let step = 0; step < 20; step++) {
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, input.issuer);
      if (next.href.startsWith(redirectUri) || next.origin !== input.issuer) {
        return { redirect: next, verifier, pages, status: response.status };
      }
      response = await browse(jar, next.href);
      continue;
    }
    const html = await response.text();
    pages.push(html);
    const form = parseForms(html).find((f) => f.method === "post");
    if (response.status !== 200 || !form) return { redirect: undefined, verifier, pages, status: response.status };
    const fields = form.action.endsWith("/login")
      ? { ...form.fields, login: input.user.login, password: input.user.password }
      : form.fields;
    response = await browse(jar, new URL(form.action, input.issuer).href, new URLSearchParams(fields));
  }
  throw new Error("too many steps");
}

async function browse(jar: CookieJar, url: string, form?: URLSearchParams): Promise<Response> {
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(form ? { body: form } : {}),
  });
  jar.store(response);
  return response;
}

export async function tokenRequest(issuer: string, params: Record<string, string>, basic?: [string, string]) {
  const response = await fetch(`${issuer}/as/token.oauth2`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic ? { authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString("base64")}` } : {}),
    },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Sign in and exchange the code: the access (and maybe refresh) token a public MCP client ends up with. */
export async function obtainTokens(input: AuthorizeInput) {
  const { redirect, verifier } = await authorize(input);
  const code = redirect?.searchParams.get("code");
  if (!code) throw new Error(`no code: ${redirect?.href}`);
  return tokenRequest(input.issuer, {
    grant_type: "authorization_code",
    client_id: input.clientId,
    code,
    redirect_uri: input.redirectUri ?? REDIRECT_URI,
    code_verifier: verifier,
    ...(input.resource ? { resource: input.resource } : {}),
  });
}
