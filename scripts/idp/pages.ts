/**
 * The login and consent pages: plain HTML, no scripts or external assets, every interpolated value escaped (client
 * metadata comes from open DCR, so it is attacker-controlled).
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;margin:.4rem 0}.error{color:#b00}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function loginPage(uid: string, clientName: string, error?: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  return layout(
    "Sign in",
    `<p>Sign in to continue to <strong>${escapeHtml(clientName)}</strong>.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}">
<label>Username <input name="login" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>
<p><a href="/interaction/${escapeHtml(encodeURIComponent(uid))}/abort">Cancel</a></p>
<p><small>Demo accounts: demo/demo (read and write), reader/reader (read only).</small></p>`,
  );
}

export function consentPage(
  uid: string,
  clientName: string,
  account: string,
  granted: readonly string[],
  refused: readonly string[],
): string {
  const action = `/interaction/${encodeURIComponent(uid)}/confirm`;
  const list = (scopes: readonly string[]) => scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return layout(
    "Authorize access",
    `<p><strong>${escapeHtml(clientName)}</strong> asks to act as <strong>${escapeHtml(account)}</strong>.</p>
${granted.length ? `<p>It will be allowed:</p><ul>${list(granted)}</ul>` : ""}
${refused.length ? `<p>Your account cannot grant (left out):</p><ul>${list(refused)}</ul>` : ""}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="uid" value="${escapeHtml(uid)}">
<button type="submit">Allow</button></form>
<form method="get" action="/interaction/${escapeHtml(encodeURIComponent(uid))}/abort">
<button type="submit">Deny</button></form>`,
  );
}

/** oidc-provider's renderError hook: errors that cannot go back to the client (e.g. an unregistered redirect_uri). */
export function errorPage(error: string, description?: string): string {
  return layout("Sign-in error", `<p><code>${escapeHtml(error)}</code></p>${description ? `<p>${escapeHtml(description)}</p>` : ""}`);
}
