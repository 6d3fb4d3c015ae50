#!/usr/bin/env node
/**
 * A headless "browser" for mcp-remote and the Inspector CLI (set as $BROWSER): called with the authorization URL, it
 * signs in through the real pages with a cookie jar (as test/idp/helpers.ts does): the local identity provider's login
 * and consent, and the bridge's own consent page when the bridge is the authorization server (PingOne mode). It then
 * follows the final redirect to the client's callback (the authorization URL's redirect_uri) so the client receives
 * the code.
 *
 * Credentials: E2E_BROWSER_LOGIN / E2E_BROWSER_PASSWORD (default demo/demo). When E2E_BROWSER_LOG is set, the URL the
 * browser was started with (`START <url>`) and each URL it visits are appended to that file (one line each) for the
 * test to assert on. When E2E_BROWSER_FIRST_SCOPE names a file, the first sign-in asks for the scopes it holds instead
 * of the client's (a user who grants less at first: "signed in with read only"), and the file is removed.
 */
import { appendFileSync, readFileSync, rmSync } from "node:fs";
import { CookieJar, parseForms } from "../idp/helpers.ts";

const login = process.env.E2E_BROWSER_LOGIN ?? "demo";
const password = process.env.E2E_BROWSER_PASSWORD ?? "demo";
const logFile = process.env.E2E_BROWSER_LOG;
const note = (line) => {
  if (logFile) appendFileSync(logFile, `${line}\n`);
};

const requested = process.argv[2];
if (!requested) {
  console.error("usage: headless-browser.mjs <authorization URL>");
  process.exit(2);
}
note(`START ${requested}`);
const start = narrowedOnce(requested);

/** The authorization URL with E2E_BROWSER_FIRST_SCOPE's scopes, the first time only. */
function narrowedOnce(url) {
  const file = process.env.E2E_BROWSER_FIRST_SCOPE;
  let scope;
  try {
    scope = file ? readFileSync(file, "utf8").trim() : undefined;
  } catch {
    return url;
  }
  if (scope === undefined) return url;
  rmSync(file, { force: true });
  const narrowed = new URL(url);
  narrowed.searchParams.set("scope", scope);
  return narrowed.href;
}

const jar = new CookieJar();
async function browse(url, form) {
  note(`${form ? "POST" : "GET"} ${url}`);
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: { cookie: jar.header(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: form } : {}),
  });
  jar.store(response);
  return response;
}

/**
 * The redirect to the client's callback server. A person takes seconds to sign in; this browser takes milliseconds, and
 * a client may start its callback server just after opening the browser (mcp-remote does when it signs in again), so
 * a refused connection is retried for up to 5 s, as a person reloading the page would.
 */
async function deliver(url) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await browse(url);
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Whether `url` is the client's redirect URI (its callback server), where the sign-in ends. */
function isCallback(url) {
  const redirect = new URL(start).searchParams.get("redirect_uri");
  if (!redirect) return url.origin !== new URL(start).origin;
  const callback = new URL(redirect);
  return url.origin === callback.origin && url.pathname === callback.pathname;
}

try {
  let url = start;
  let response = await browse(start);
  for (let step = 0; ; step++) {
    if (step > 25) throw new Error("too many steps");
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (isCallback(next)) {
        // The client's redirect URI (its local callback server): deliver the code like a browser would.
        note(`CALLBACK ${next.href}`);
        const landing = await deliver(next.href);
        note(`LANDED ${landing.status} ${next.href}`);
        await landing.body?.cancel();
        if (landing.status >= 400) throw new Error(`callback answered ${landing.status}`);
        break;
      }
      url = next.href;
      response = await browse(url);
      continue;
    }
    const html = await response.text();
    const form = parseForms(html).find((f) => f.method.toLowerCase() === "post");
    if (response.status !== 200 || !form) throw new Error(`sign-in stopped at ${response.status}: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams(form.pairs);
    if (form.action.endsWith("/login")) {
      fields.set("login", login);
      fields.set("password", password);
    }
    url = new URL(form.action, url).href;
    response = await browse(url, fields);
  }
} catch (error) {
  note(`ERROR ${error instanceof Error ? error.message : String(error)}`);
  console.error(error);
  process.exit(1);
}
