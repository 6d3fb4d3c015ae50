/**
 * The interaction routes oidc-provider delegates to the host application: `/interaction/:uid` (render the pending
 * prompt), `/interaction/:uid/login`, `/interaction/:uid/confirm` and `/interaction/:uid/abort`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { InteractionDetails, Provider } from "oidc-provider";
import { API_SCOPES, authenticate, findAccountById } from "./accounts.ts";
import { consentPage, loginPage } from "./pages.ts";

const MAX_FORM_BYTES = 16 * 1024;

export type InteractionHooks = { onLogin(): void };

export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  hooks: InteractionHooks,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://idp.invalid").pathname;
  const match = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(path);
  if (!match) return send(res, 404, "text/plain", "not found");
  const action = match[2];
  // interactionDetails checks the uid against the interaction cookie, so a uid alone is not enough to act.
  const details = await provider.interactionDetails(req, res);
  const clientName = await clientNameOf(provider, details);

  if (!action && req.method === "GET") {
    if (details.prompt.name === "login") return send(res, 200, "text/html", loginPage(details.uid, clientName));
    if (details.prompt.name === "consent") return showConsent(res, details, clientName);
    return send(res, 400, "text/plain", `unsupported prompt ${details.prompt.name}`);
  }
  if (action === "abort" && (req.method === "GET" || req.method === "POST")) {
    // RFC 6749 §4.1.2.1: the user refused.
    const result = { error: "access_denied", error_description: "End-User aborted interaction" };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  if (req.method !== "POST") return send(res, 405, "text/plain", "method not allowed");
  const form = await readForm(req);

  if (action === "login" && details.prompt.name === "login") {
    const account = authenticate(form.get("login") ?? "", form.get("password") ?? "");
    if (!account) {
      return send(res, 401, "text/html", loginPage(details.uid, clientName, "Invalid username or password."));
    }
    hooks.onLogin();
    return provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  }
  if (action === "confirm" && details.prompt.name === "consent") {
    const grantId = await recordConsent(provider, details);
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  return send(res, 400, "text/plain", "this step does not match the pending prompt");
}

type Split = {
  oidc: string[];
  /** API scopes oidc-provider also counts as OIDC scopes (configuration.ts): answered as rejected there. */
  notOidc: string[];
  resources: Map<string, { granted: string[]; refused: string[] }>;
};

/** What consent would grant: every OIDC scope asked for, and only the API scopes the account allows. */
function splitScopes(details: InteractionDetails): Split {
  const account = findAccountById(details.session?.accountId ?? "");
  const allowed = new Set(account?.apiScopes ?? []);
  const promptDetails = details.prompt.details;
  const asked = (promptDetails["missingOIDCScope"] as string[] | undefined) ?? [];
  const oidc = asked.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  const notOidc = asked.filter((s) => (API_SCOPES as readonly string[]).includes(s));
  const missing = (promptDetails["missingResourceScopes"] as Record<string, string[]> | undefined) ?? {};
  const resources = new Map<string, { granted: string[]; refused: string[] }>();
  for (const [indicator, scopes] of Object.entries(missing)) {
    resources.set(indicator, {
      granted: scopes.filter((s) => allowed.has(s)),
      refused: scopes.filter((s) => !allowed.has(s)),
    });
  }
  return { oidc, notOidc, resources };
}

function showConsent(res: ServerResponse, details: InteractionDetails, clientName: string): void {
  const { oidc, resources } = splitScopes(details);
  const granted = [...oidc, ...[...resources.values()].flatMap((r) => r.granted)];
  const refused = [...resources.values()].flatMap((r) => r.refused);
  send(res, 200, "text/html", consentPage(details.uid, clientName, details.session?.accountId ?? "", granted, refused));
}

/**
 * Scopes the account may not hold are recorded as rejected, not just left out: oidc-provider's consent prompt treats
 * rejected scopes as answered, so the client gets a narrower token instead of an endless consent loop.
 */
async function recordConsent(provider: Provider, details: InteractionDetails): Promise<string> {
  const accountId = details.session?.accountId;
  if (!accountId) throw new Error("consent without a signed-in account");
  const clientId = String(details.params["client_id"]);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const { oidc, notOidc, resources } = splitScopes(details);
  if (oidc.length) grant.addOIDCScope(oidc.join(" "));
  if (notOidc.length) grant.rejectOIDCScope(notOidc.join(" "));
  const claims = details.prompt.details["missingOIDCClaims"] as string[] | undefined;
  if (claims?.length) grant.addOIDCClaims(claims);
  for (const [indicator, { granted, refused }] of resources) {
    if (granted.length) grant.addResourceScope(indicator, granted.join(" "));
    if (refused.length) grant.rejectResourceScope(indicator, refused.join(" "));
  }
  return grant.save();
}

async function clientNameOf(provider: Provider, details: InteractionDetails): Promise<string> {
  const clientId = String(details.params["client_id"] ?? "");
  const client = await provider.Client.find(clientId);
  const name = client?.["clientName"];
  return typeof name === "string" && name ? name : clientId;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "cache-control": "no-store",
    // The pages must not be framed (clickjacking of the consent button).
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(body);
}
