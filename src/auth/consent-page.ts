/**
 * The per-client consent page the bridge shows before sending anyone to the upstream identity provider (MCP security
 * best practices, "confused deputy"): it names the client, where the tokens will go, and the scopes. Everything that
 * came from the client (name, URIs, scope strings) is escaped. The form carries only the consent handle, the CSRF
 * token that workers-oauth-provider binds to this browser with a `__Host-` cookie and accepts once.
 */
import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";

export interface ConsentPageInput {
  readonly details: ConsentDescription;
  /** The single-use, browser-bound consent handle (the form's CSRF token). */
  readonly handle: string;
  /** The API scopes that approving grants, with their descriptions from bridge.yaml. */
  readonly scopes: readonly { name: string; description?: string }[];
  readonly apiName: string;
  /** The form's target: the authorization endpoint's path. */
  readonly action: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function consentPage(input: ConsentPageInput): string {
  const { details } = input;
  const name = escapeHtml(details.clientName);
  const publisher = details.clientDomain
    ? `Published by <strong>${escapeHtml(details.clientDomain)}</strong>.`
    : "This app registered itself: its name is not verified.";
  const scopes = input.scopes.length
    ? input.scopes
        .map((s) => `<li><code>${escapeHtml(s.name)}</code>${s.description ? ` — ${escapeHtml(s.description)}` : ""}</li>`)
        .join("")
    : "<li>No access to the API (sign-in only)</li>";
  const handle = escapeHtml(input.handle);
  const action = escapeHtml(input.action);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Allow ${name}?</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
.warn{background:#fff4e5;border:1px solid #f0b429;padding:.5rem 1rem}button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.5rem}
form{display:inline}</style>
</head>
<body>
<h1>Allow <span id="client-name">${name}</span> to use ${escapeHtml(input.apiName)} as you?</h1>
<p>${publisher}</p>
<p>Client ID: <code id="client-id">${escapeHtml(details.clientId)}</code></p>
<p>After you sign in, access will be sent to <strong id="redirect-host">${escapeHtml(details.redirectHost)}</strong>
(<code id="redirect-uri">${escapeHtml(details.redirectUri)}</code>).</p>
${
  details.redirectIsLoopback
    ? '<p class="warn"><strong>This sends access to an app on your computer.</strong> Continue only if you just started signing in from it.</p>'
    : ""
}
<p>It asks for:</p>
<ul id="scopes">${scopes}</ul>
<form method="post" action="${action}" id="approve">
<input type="hidden" name="handle" value="${handle}">
<input type="hidden" name="decision" value="approve">
${input.scopes.map((s) => `<input type="hidden" name="scope" value="${escapeHtml(s.name)}">`).join("\n")}
<button type="submit">Allow and sign in</button>
</form>
<form method="post" action="${action}" id="deny">
<input type="hidden" name="handle" value="${handle}">
<input type="hidden" name="decision" value="deny">
<button type="submit">Deny</button>
</form>
</body>
</html>`;
}

/** A page for errors the bridge must show itself (never a redirect to an unvalidated client). */
export function errorPage(status: number, message: string): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
<body><h1>Sign-in failed</h1><p id="error">${escapeHtml(message)}</p><p>Start again from your MCP client.</p></body></html>`;
  return new Response(body, { status, headers: htmlHeaders() });
}

/** No caching, no framing, no script: for every page the bridge renders. */
export function htmlHeaders(headers = new Headers()): Headers {
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("cache-control", "no-store");
  headers.set("x-frame-options", "DENY");
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "no-referrer");
  headers.set(
    "content-security-policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  );
  return headers;
}
