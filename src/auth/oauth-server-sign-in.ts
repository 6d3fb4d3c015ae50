/**
 * The browser side of the bridge's OAuth server (oauth-server.ts): the per-client consent page, its approval, and the
 * upstream provider's callback. Confused deputy (MCP security best practices): every dynamically registered client
 * gets its own consent before the bridge's single upstream client is used; `state` exists only after consent and is
 * bound to the browser. Every refusal and failure here is answered on the bridge's own page (or an OAuth error
 * redirect the library validated) and reaches the log hook with its code.
 */
import {
  AuthorizationError,
  authorizationErrorRedirect,
  CimdFetchError,
  type AuthRequest,
  type OAuthAuthorizationServer,
  type OAuthHelpers,
} from "@cloudflare/workers-oauth-provider";
import { failureFields, type Log } from "../log.ts";
import type { ClientCredentials } from "./client-credentials.ts";
import { consentPage, errorPage, htmlHeaders } from "./consent-page.ts";
import {
  AuthError,
  AuthorizationRequestInvalid,
  AuthRefusal,
  DeploymentIncomplete,
  IdentityProviderUnavailable,
  SignInDenied,
} from "./errors.ts";
import type { OidcUpstream, PendingLogin, UpstreamTokens } from "./oidc-upstream.ts";

type Env = Record<string, unknown>;

/** The authorization endpoint: GET shows the consent page, POST is its form. */
export const AUTHORIZE_PATH = "/authorize";

/** The grant's props: encrypted by workers-oauth-provider with a key only the token holder can unwrap. */
export interface OidcGrantProps {
  readonly sub: string;
  readonly email?: string;
  readonly groups?: readonly string[];
  /** API scopes the provider granted, intersected with what the user approved (empty when it issues none). */
  readonly scopes: readonly string[];
  /**
   * API scopes the provider was asked for at this sign-in (or a refresh) and did not grant: the user's account does
   * not have them, so a call needing one is a tool error, not a step-up challenge (PingOne; absent: none).
   */
  readonly refused?: readonly string[];
  readonly upstream: UpstreamTokens;
}

/** What the pages need of the adapter. */
export interface SignInContext {
  readonly authorizationServer: OAuthAuthorizationServer<Env>;
  readonly upstreamFor: (credentials: ClientCredentials) => OidcUpstream;
  readonly clientCredentials: (env: Env) => ClientCredentials;
  /** The API scopes a client may be granted. */
  readonly apiScopes: readonly string[];
  /** With their descriptions, for the consent page. */
  readonly scopeDefinitions: readonly { readonly name: string; readonly description?: string }[];
  /** The provider issues the API scopes (PingOne): the grant holds those it granted, within what the user approved. */
  readonly issuesApiScopes: boolean;
  readonly apiName: string;
  readonly log: Log;
}

export interface SignInPages {
  /** GET /authorize: the consent page, or straight to the provider when this browser approved the client before. */
  showConsent(request: Request, env: Env): Promise<Response>;
  /** POST /authorize: the consent form. */
  approve(request: Request, env: Env): Promise<Response>;
  /** GET of the callback: the provider's answer → the client's authorization code. */
  callback(request: Request, env: Env): Promise<Response>;
}

export function createSignInPages(context: SignInContext): SignInPages {
  const { authorizationServer, upstreamFor, clientCredentials, apiScopes, log } = context;

  /** The approved API scopes for a request: what it asks for among the API's, or all of them when it names none. */
  const apiScopesFor = (requested: readonly string[]): string[] => {
    const asked = apiScopes.filter((s) => requested.includes(s));
    return asked.length ? asked : [...apiScopes];
  };

  /** Only after consent: the single-use, browser-bound `state`, then the redirect to the provider. */
  async function redirectUpstream(oauth: OAuthHelpers, request: AuthRequest, scopes: string[], headers: Headers, env: Env) {
    const credentials = clientCredentials(env);
    const upstream = upstreamFor(credentials);
    const pending = upstream.prepare(scopes);
    const { state, headers: out } = await oauth.beginUpstream(request, { data: pending, headers });
    out.set("location", (await upstream.authorizationUrl(credentials, state, pending)).href);
    out.set("cache-control", "no-store");
    return new Response(null, { status: 302, headers: out });
  }

  async function showConsent(request: Request, env: Env): Promise<Response> {
    const oauth = authorizationServer.getOAuthApi(env);
    const authRequest = await oauth.parseAuthRequest(request);
    const scopes = apiScopesFor(authRequest.scope);
    const remembered = await oauth.isConsentRemembered(request, { ...authRequest, scope: scopes }, { secret: await consentSecret(env) });
    if (remembered) return redirectUpstream(oauth, { ...authRequest, scope: scopes }, scopes, new Headers(), env);
    const details = await oauth.describeConsent(authRequest);
    const consent = await oauth.beginConsent(authRequest);
    const page = consentPage({
      details,
      handle: consent.handle,
      scopes: scopes.map((name) => ({ name, ...descriptionOf(name) })),
      apiName: context.apiName,
      action: AUTHORIZE_PATH,
    });
    return new Response(page, { status: 200, headers: htmlHeaders(consent.headers) });
  }

  const descriptionOf = (name: string) => {
    const description = context.scopeDefinitions.find((s) => s.name === name)?.description;
    return description ? { description } : {};
  };

  async function callback(request: Request, env: Env): Promise<Response> {
    const oauth = authorizationServer.getOAuthApi(env);
    const resumed = await oauth.finishUpstream<PendingLogin>(request);
    const url = new URL(request.url);
    const fail = (code: "access_denied" | "server_error" | "temporarily_unavailable", description: string) => {
      resumed.headers.set("location", authorizationErrorRedirect(resumed.request, code, description));
      return new Response(null, { status: 302, headers: resumed.headers });
    };
    let login;
    try {
      const refused = url.searchParams.get("error");
      if (refused !== null) throw new SignInDenied(`the identity provider ended the sign-in with ${refused.slice(0, 64)}`);
      const credentials = clientCredentials(env);
      login = await upstreamFor(credentials).finish(credentials, url, resumed.data);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      log({ event: "sign_in_failed", ...failureFields(error) });
      if (error instanceof SignInDenied) return fail("access_denied", "The identity provider did not sign the user in");
      if (error instanceof IdentityProviderUnavailable) return fail("temporarily_unavailable", "The identity provider could not be reached");
      if (error instanceof DeploymentIncomplete) return fail("server_error", "Sign-in is not available right now");
      return fail("access_denied", "The identity provider's response could not be verified");
    }
    const approved = resumed.data.scopes.filter((s) => apiScopes.includes(s));
    const granted = login.grantedScopes && context.issuesApiScopes ? approved.filter((s) => login.grantedScopes?.includes(s)) : approved;
    // Asked of the provider (the approved API scopes, when it issues them) and not granted: what the account lacks.
    const refused = approved.filter((s) => !granted.includes(s));
    const props: OidcGrantProps = {
      sub: login.subject,
      ...(login.email ? { email: login.email } : {}),
      ...(login.groups ? { groups: [...login.groups] } : {}),
      scopes: granted,
      ...(refused.length > 0 && { refused }),
      upstream: login.tokens,
    };
    const { redirectTo } = await oauth.completeAuthorization({
      request: resumed.request,
      // workers-oauth-provider user ids may not contain ':'.
      userId: encodeURIComponent(login.subject),
      metadata: {},
      scope: granted,
      props,
    });
    resumed.headers.set("location", redirectTo);
    resumed.headers.set("cache-control", "no-store");
    return new Response(null, { status: 302, headers: resumed.headers });
  }

  /**
   * Expected refusals are shown on the bridge's own page, or redirected only when the library validated the target;
   * each reaches the log with its code. Anything else is thrown on (the bridge's 500).
   */
  async function guarded(run: () => Promise<Response>): Promise<Response> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AuthorizationError) {
        log({ event: "authorize_refused", ...failureFields(new AuthorizationRequestInvalid(`${error.code}: ${error.description}`)) });
        if (error.redirectTo) return Response.redirect(error.redirectTo, 302);
        return errorPage(400, error.description);
      }
      if (error instanceof CimdFetchError) {
        log({ event: "authorize_refused", ...failureFields(new AuthorizationRequestInvalid(`client metadata document: ${error.message}`)) });
        return errorPage(400, "This app could not be verified.");
      }
      if (!(error instanceof AuthError)) throw error;
      log({ event: error instanceof AuthRefusal ? "authorize_refused" : "authorize_failed", ...failureFields(error) });
      if (error instanceof AuthorizationRequestInvalid) return errorPage(400, "The consent form is missing its security token.");
      if (error instanceof IdentityProviderUnavailable) return errorPage(503, "The identity provider could not be reached; try again in a moment.");
      return errorPage(500, "Sign-in is not available right now.");
    }
  }

  async function approve(request: Request, env: Env): Promise<Response> {
    const oauth = authorizationServer.getOAuthApi(env);
    const form = await consentForm(request);
    const handle = form.get("handle");
    if (typeof handle !== "string" || handle === "") throw new AuthorizationRequestInvalid("the consent form has no handle");
    if (form.get("decision") !== "approve") {
      const denied = await oauth.denyConsent(request, handle);
      denied.headers.set("location", denied.redirectTo);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    const secret = await consentSecret(env);
    // The client, redirect URI and resource come from the request stored server-side, never from the form.
    const approved = await oauth.approveConsent(request, handle, {
      scope: apiScopesForHandle(form),
      remember: { secret },
    });
    // Exactly what was approved (possibly nothing): never widened to the API's defaults here.
    const scopes = approved.request.scope.filter((s) => apiScopes.includes(s));
    return redirectUpstream(oauth, { ...approved.request, scope: scopes }, scopes, approved.headers, env);
  }

  /**
   * The scopes approved: those the page listed (hidden `scope` fields) that are API scopes. The library accepts only
   * scopes in `scopesSupported`; the form can only narrow or pick among the API's scopes, which is the user's choice.
   */
  const apiScopesForHandle = (form: FormData): string[] => {
    const listed = form.getAll("scope").map(String);
    return apiScopes.filter((s) => listed.includes(s));
  };

  const consentSecret = async (env: Env): Promise<string> => {
    // Derived from the bridge's client secret, so no extra secret to configure: rotating one rotates both.
    const { clientSecret } = clientCredentials(env);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`mcp-bridge consent approvals\0${clientSecret}`));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  };

  return {
    showConsent: (request, env) => guarded(() => showConsent(request, env)),
    approve: (request, env) => guarded(() => approve(request, env)),
    callback: (request, env) => guarded(() => callback(request, env)),
  };
}

/** The consent form; a body that is not one is refused like a form without its handle. */
async function consentForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    throw new AuthorizationRequestInvalid(`the consent form could not be read (${error instanceof Error ? error.name : typeof error})`);
  }
}
