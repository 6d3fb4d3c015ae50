/**
 * The sample Todo API behind Cloudflare Access (`ACCESS_TEAM_DOMAIN`, `ACCESS_AUD`, `DEFAULT_SCOPES=todo_api:read` in
 * this project's bindings): Access's `Cf-Access-Jwt-Assertion` is verified against the team's certs and identifies the
 * caller; credentials that name none of the API's scopes get the default ones, and only those.
 */
import { importJWK, SignJWT, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { BOTH, call, context, listed, newUser, READ, signToken, WRITE } from "../helpers.ts";

const AUD = "todo-api-access-aud";

async function assertion(claims: JWTPayload = {}, key = context.keys.current): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: context.accessTeamDomain, aud: [AUD], sub: newUser(), email: "sam@example.com", iat: now, exp: now + 300, type: "app", ...claims };
  return new SignJWT(Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)))
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(await importJWK(key.privateJwk, "RS256"));
}

const asAccess = (token: string) => ({ headers: { "cf-access-jwt-assertion": token } });

describe("Access assertions", () => {
  it("identifies the user by sub: their own list, read with the default scope, write refused with 403", async () => {
    const sub = newUser();
    const token = await assertion({ sub });
    const list = await call("GET", "/api/todos", asAccess(token));
    expect(list.status).toBe(200);
    expect(await listed(list)).toEqual([]);

    const create = await call("POST", "/api/todos", { ...asAccess(token), body: { todoText: "from Access" } });
    expect(create.status).toBe(403);
    expect(create.headers.get("www-authenticate")).toContain(`scope="${WRITE}"`);

    // The same subject with a bearer token that may write: the assertion's list is that user's list.
    const writer = await signToken({ sub, scope: BOTH });
    expect((await call("POST", "/api/todos", { token: writer, body: { todoText: "mine" } })).status).toBe(201);
    expect((await listed(call("GET", "/api/todos", asAccess(token)))).map((todo) => todo.text)).toEqual(["mine"]);
  });

  it("identifies a service token (empty sub) by common_name", async () => {
    const token = await assertion({ sub: "", email: undefined, common_name: `svc-${crypto.randomUUID()}.access` });
    expect((await call("GET", "/api/todos", asAccess(token))).status).toBe(200);
  });

  for (const [name, claims] of [
    ["another application's AUD", { aud: ["some-other-app"] }],
    ["another team (iss)", { iss: "https://evil.cloudflareaccess.com" }],
    ["an expired assertion", { exp: Math.floor(Date.now() / 1000) - 120 }],
    ["neither sub nor common_name", { sub: "" }],
  ] as [string, JWTPayload][]) {
    it(`answers ${name} with 401 invalid_token`, async () => {
      const response = await call("GET", "/api/todos", asAccess(await assertion(claims)));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(
        'Bearer realm="todo-api", error="invalid_token", error_description="The Access assertion is invalid"',
      );
    });
  }

  it("refuses an assertion signed with a key the team does not publish", async () => {
    const { generateKeyPair, exportJWK } = await import("jose");
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const rogue = { kid: context.keys.current.kid, privateJwk: { ...(await exportJWK(privateKey)), alg: "RS256" } };
    expect((await call("GET", "/api/todos", asAccess(await assertion({}, rogue)))).status).toBe(401);
  });
});

describe("DEFAULT_SCOPES for bearer tokens", () => {
  it("grants the default scope to a token that names no API scope (an Access for SaaS token: openid email)", async () => {
    const token = await signToken({ scope: "openid email profile" });
    expect((await call("GET", "/api/todos", { token })).status).toBe(200);
    expect((await call("POST", "/api/todos", { token, body: { todoText: "x" } })).status).toBe(403);
  });

  it("leaves a token that names an API scope with exactly its own: write-only stays unable to read", async () => {
    const token = await signToken({ scope: WRITE });
    expect((await call("GET", "/api/todos", { token })).status).toBe(403);
    expect((await call("POST", "/api/todos", { token, body: { todoText: "x" } })).status).toBe(201);
    expect((await call("GET", "/api/todos", { token: await signToken({ scope: READ }) })).status).toBe(200);
  });
});
