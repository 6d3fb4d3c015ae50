import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdentityProvider, type RunningIdentityProvider } from "../../scripts/idp/server.ts";
import { CookieJar, REDIRECT_URI, authorize, parseForms, registerPublicClient } from "./helpers.ts";

let idp: RunningIdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
});
afterAll(() => idp.close());

describe("login and consent pages", () => {
  it("escapes client metadata and cannot be framed", async () => {
    const { client_id } = await registerPublicClient(idp.issuer, { client_name: `<script>alert("x")</script>` });
    const { pages } = await authorize({
      issuer: idp.issuer, clientId: client_id, user: { login: "demo", password: "demo" }, scope: "todo_api:read",
    });
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page).not.toContain("<script>");
      expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    }
  });

  it("sends the user back with access_denied on abort", async () => {
    const { client_id } = await registerPublicClient(idp.issuer);
    const url = new URL(`${idp.issuer}/as/authorization.oauth2`);
    url.search = new URLSearchParams({
      client_id, redirect_uri: REDIRECT_URI, response_type: "code", scope: "todo_api:read", state: "s",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
    }).toString();
    const jar = new CookieJar();
    const go = async (href: string) => {
      const response = await fetch(href, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(response);
      return response;
    };
    let response = await go(url.href);
    response = await go(new URL(response.headers.get("location") ?? "", idp.issuer).href);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const login = parseForms(await response.text())[0];
    expect(login?.action).toMatch(/\/login$/);
    response = await go(new URL(login?.action.replace(/\/login$/, "/abort") ?? "", idp.issuer).href);
    response = await go(new URL(response.headers.get("location") ?? "", idp.issuer).href);
    const back = new URL(response.headers.get("location") ?? "");
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(back.searchParams.get("error")).toBe("access_denied");
  });

  it("refuses an interaction without its cookie", async () => {
    const response = await fetch(`${idp.issuer}/interaction/made-up-uid`);
    expect(response.status).toBe(400);
  });
});
