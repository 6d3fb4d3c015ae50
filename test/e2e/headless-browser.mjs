#!/usr/bin/env node
/**
 * A headless "browser" for mcp-remote (set as $BROWSER): called with the authorization URL, it signs in through the
 * local identity provider's real login and consent pages with a cookie jar (as test/idp/helpers.ts does), then
 * follows the final redirect to mcp-remote's local callback so mcp-remote receives the code.
 *
 * Credentials: E2E_BROWSER_LOGIN / E2E_BROWSER_PASSWORD (default demo/demo). When E2E_BROWSER_LOG is set, each URL the
 * browser visits is appended to that file (one line each) for the test to assert on.
 */
import { appendFileSync } from "node:fs";
import { CookieJar, parseForms } from "../idp/helpers.ts";

const login = process.env.E2E_BROWSER_LOGIN ?? "demo";
const password = process.env.E2E_BROWSER_PASSWORD ?? "demo";
const logFile = process.env.E2E_BROWSER_LOG;
const note = (line) => {
  if (logFile) appendFileSync(logFile, `${line}\n`);
};

const start = process.argv[2];
if (!start) {
  console.error("usage: headless-browser.mjs <authorization URL>");
  process.exit(2);
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

try {
  const origin = new URL(start).origin;
  let response = await browse(start);
  for (let step = 0; ; step++) {
    if (step > 20) throw new Error("too many steps");
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, response.url || origin);
      if (next.origin !== origin) {
        // The client's redirect URI (mcp-remote's callback server): deliver the code like a browser would.
        note(`CALLBACK ${next.href}`);
        const landing = await browse(next.href);
        note(`LANDED ${landing.status} ${next.href}`);
        await landing.body?.cancel();
        if (landing.status >= 400) throw new Error(`callback answered ${landing.status}`);
        break;
      }
      response = await browse(next.href);
      continue;
    }
    const html = await response.text();
    const form = parseForms(html).find((f) => f.method.toLowerCase() === "post");
    if (response.status !== 200 || !form) throw new Error(`sign-in stopped at ${response.status}: ${html.slice(0, 300)}`);
    const fields = form.action.endsWith("/login") ? { ...form.fields, login, password } : form.fields;
    response = await browse(new URL(form.action, origin).href, new URLSearchParams(fields));
  }
} catch (error) {
  note(`ERROR ${error instanceof Error ? error.message : String(error)}`);
  console.error(error);
  process.exit(1);
}
