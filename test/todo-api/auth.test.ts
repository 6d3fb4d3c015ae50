/**
 * Bearer token authentication and scopes: RFC 6750 challenges (401 without an error code when no credentials were
 * sent, `invalid_token` for a bad token, 403 `insufficient_scope` naming the scope), and every token check.
 */
import { base64url, generateKeyPair, exportJWK, SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { authenticate, KEY_SET_OPTIONS, remoteKeySet } from "../../examples/todo-api/src/auth.ts";
import { ApiError } from "../../examples/todo-api/src/errors.ts";
import { BOTH, call, context, READ, signToken, userClient, WRITE, type ErrorBody } from "./helpers.ts";

const NO_CREDENTIALS = 'Bearer realm="todo-api"';

async function expectInvalidToken(response: Response, description = "The access token is invalid"): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe(
    `Bearer realm="todo-api", error="invalid_token", error_description="${description}"`,
  );
  expect(await response.json()).toEqual({ error: "invalid_token", message: `${description}.` });
}

async function rogueKey(kid: string) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), alg: "RS256" } };
}

describe("401 without credentials", () => {
  for (const [name, headers] of [
    ["no Authorization header", {}],
    ["another scheme (Basic)", { authorization: "Basic ZGVtbzpkZW1v" }],
    ["a token in another scheme (Token)", { authorization: "Token abc" }],
  ] as const) {
    it(`challenges with no error code for ${name}`, async () => {
      for (const [method, path] of [["GET", "/api/todos"], ["POST", "/api/todos"], ["DELETE", `/api/todos/${crypto.randomUUID()}`]]) {
        const response = await call(method!, path!, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe(NO_CREDENTIALS);
        expect(response.headers.get("content-type")).toBe("application/json");
        const body = (await response.json()) as ErrorBody;
        expect(body).toEqual({ error: "invalid_token", message: "An access token is required." });
      }
    });
  }
});

describe("401 invalid_token", () => {
  it("rejects an empty or malformed bearer token", async () => {
    for (const authorization of ["Bearer", "Bearer ", "Bearer not a token", "Bearer abc.def.ghi", "Bearer abc$%^"]) {
      await expectInvalidToken(await call("GET", "/api/todos", { headers: { authorization } }));
    }
  });

  it("rejects a bad signature (a key that is not the issuer's, under the issuer's kid)", async () => {
    const token = await signToken({ key: await rogueKey(context.keys.current.kid) });
    await expectInvalidToken(await call("GET", "/api/todos", { token }));
  });

  it("rejects a token whose payload was altered after signing", async () => {
    const [header, , signature] = (await signToken({ scope: READ })).split(".");
    const payload = base64url.encode(JSON.stringify({
      iss: context.issuer, aud: context.audience, sub: "someone", scope: BOTH, exp: Math.floor(Date.now() / 1000) + 300,
    }));
    await expectInvalidToken(await call("POST", "/api/todos", { token: `${header}.${payload}.${signature}`, body: { todoText: "x" } }));
  });

  it("rejects an expired token, saying so", async () => {
    const token = await signToken({ expiresIn: -120 });
    await expectInvalidToken(await call("GET", "/api/todos", { token }), "The access token expired");
  });

  it("tolerates a little clock skew on exp and nbf", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await call("GET", "/api/todos", { token: await signToken({ expiresIn: -10 }) })).status).toBe(200);
    expect((await call("GET", "/api/todos", { token: await signToken({ claims: { nbf: now + 10 } }) })).status).toBe(200);
    await expectInvalidToken(await call("GET", "/api/todos", { token: await signToken({ claims: { nbf: now + 120 } }) }));
  });

  it("rejects a token for another audience, and accepts an aud array that names this API", async () => {
    await expectInvalidToken(await call("GET", "/api/todos", { token: await signToken({ claims: { aud: "http://127.0.0.1:8788/mcp" } }) }));
    const both = await signToken({ claims: { aud: ["http://127.0.0.1:8788/mcp", context.audience] } });
    expect((await call("GET", "/api/todos", { token: both })).status).toBe(200);
  });

  it("rejects a token from another issuer", async () => {
    for (const iss of ["http://127.0.0.1:9032", "http://localhost:9031", `${context.issuer}/`]) {
      await expectInvalidToken(await call("GET", "/api/todos", { token: await signToken({ claims: { iss } }) }));
    }
  });

  it("rejects alg: none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify({
      iss: context.issuer, aud: context.audience, sub: "mallory", scope: BOTH, iat: now, exp: now + 300,
    }));
    for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
      await expectInvalidToken(await call("GET", "/api/todos", { token }));
    }
  });

  it("rejects HS256, even keyed with the issuer's public key material", async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode(JSON.stringify(context.keys.current.privateJwk.n));
    const token = await new SignJWT({ iss: context.issuer, aud: context.audience, sub: "mallory", scope: BOTH, exp: now + 300 })
      .setProtectedHeader({ alg: "HS256", kid: context.keys.current.kid })
      .sign(secret);
    await expectInvalidToken(await call("GET", "/api/todos", { token }));
  });

  it("rejects a token without sub or without exp, or with an empty sub", async () => {
    for (const claims of [{ sub: undefined }, { exp: undefined }, { sub: "" }]) {
      await expectInvalidToken(await call("GET", "/api/todos", { token: await signToken({ claims }) }));
    }
  });

  it("rejects a token signed with a key the issuer never published (503 + Retry-After while the key set may not be refetched)", async () => {
    const token = await signToken({ key: await rogueKey("unknown-kid") });
    // The first try fetches the set if jose may (then 401), else is within the cooldown of the last fetch (503); the
    // second is certainly within the cooldown (KEY_SET_OPTIONS.cooldownDuration): the set may be out of date.
    expect([401, 503]).toContain((await call("GET", "/api/todos", { token })).status);
    const early = await call("GET", "/api/todos", { token });
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("5");
    // Once it may, the set is fetched again and still lacks the kid: the token is refused.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + KEY_SET_OPTIONS.cooldownDuration + 1);
      await expectInvalidToken(await call("GET", "/api/todos", { token }));
    } finally {
      vi.useRealTimers();
    }
  });

  it("never echoes the token", async () => {
    for (const token of [await signToken({ expiresIn: -120 }), await signToken({ claims: { aud: "elsewhere" } })]) {
      const response = await call("GET", "/api/todos", { token });
      const text = await response.text();
      const headers = JSON.stringify([...response.headers]);
      for (const part of token.split(".")) {
        expect(text).not.toContain(part);
        expect(headers).not.toContain(part);
      }
    }
  });
});

describe("403 insufficient_scope", () => {
  const writeRoutes = (id: string) => [
    ["POST", "/api/todos", { body: { todoText: "x" } }],
    ["PATCH", `/api/todos/${id}`, { body: { completed: true } }],
    ["DELETE", `/api/todos/${id}`, {}],
  ] as const;

  it("refuses a read-only token on every write route, naming the scope in the challenge", async () => {
    const writer = await userClient();
    const todo = await writer.create("stays");
    const reader = await signToken({ sub: writer.sub, scope: READ });
    for (const [method, path, options] of writeRoutes(todo.id)) {
      const response = await call(method, path, { ...options, token: reader });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers.get("www-authenticate")).toBe(
        'Bearer realm="todo-api", error="insufficient_scope", error_description="This operation needs todo_api:write", scope="todo_api:write"',
      );
      expect(await response.json()).toEqual({ error: "insufficient_scope", message: "This operation needs the scope todo_api:write." });
    }
    // Reading works, and nothing was changed.
    expect(await (await call("GET", "/api/todos", { token: reader })).json()).toEqual({ todos: [todo] });
  });

  it("refuses a write-only token on the read routes", async () => {
    const writer = await userClient({ scope: WRITE });
    const todo = await writer.create("write only");
    for (const path of ["/api/todos", `/api/todos/${todo.id}`]) {
      const response = await writer.call("GET", path);
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toContain('scope="todo_api:read"');
    }
  });

  it("refuses a token with no scope at all", async () => {
    for (const scope of ["", []] as (string | string[])[]) {
      expect((await call("GET", "/api/todos", { token: await signToken({ scope }) })).status).toBe(403);
    }
  });
});

describe("scope claim formats", () => {
  const accepted: [string, Record<string, unknown>][] = [
    ["scope as a space-separated string", { scope: "openid todo_api:read todo_api:write" }],
    ["scope as an array", { scope: ["openid", READ, WRITE] }],
    ["scp as an array", { scope: undefined, scp: [READ, WRITE] }],
    ["scp as a string", { scope: undefined, scp: `${READ} ${WRITE}` }],
    ["scope with extra spaces", { scope: `  ${READ}   ${WRITE} ` }],
  ];
  for (const [name, claims] of accepted) {
    it(`accepts ${name}`, async () => {
      const token = await signToken({ claims });
      expect((await call("GET", "/api/todos", { token })).status).toBe(200);
      expect((await call("POST", "/api/todos", { token, body: { todoText: name } })).status).toBe(201);
    });
  }

  const lookalikes: [string, Record<string, unknown>][] = [
    ["todo_api:writer (a scope containing the needed one)", { scope: `${READ} todo_api:writer` }],
    ["xtodo_api:write", { scope: `${READ} xtodo_api:write` }],
    ["todo_api:write as a substring of one array entry", { scope: [READ, "todo_api:write todo_api:admin"] }],
    ["TODO_API:WRITE (scopes are case-sensitive)", { scope: `${READ} TODO_API:WRITE` }],
    ["todo_api:write, comma-separated", { scope: `${READ} ${READ},${WRITE}` }],
  ];
  for (const [name, claims] of lookalikes) {
    it(`does not take ${name} for todo_api:write`, async () => {
      const token = await signToken({ claims });
      expect((await call("GET", "/api/todos", { token })).status).toBe(200);
      const response = await call("POST", "/api/todos", { token, body: { todoText: "x" } });
      expect(response.status).toBe(403);
    });
  }
});

describe("the key set", () => {
  it("is fetched once and cached, not per request", async () => {
    const fetches = async () => ((await (await fetch(context.statsUrl)).json()) as { fetches: number }).fetches;
    const token = await signToken();
    expect((await call("GET", "/api/todos", { token })).status).toBe(200); // warm the cache
    const before = await fetches();
    for (let i = 0; i < 5; i++) expect((await call("GET", "/api/todos", { token: await signToken() })).status).toBe(200);
    expect(await fetches()).toBe(before);
  });

  it("answers 503 (not 401: the token is not at fault) when the key set cannot be fetched", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const keys = remoteKeySet(context.jwksUrl.replace("/pf/JWKS", "/no-such-key-set"));
    const token = await signToken();
    const error = await authenticate(`Bearer ${token}`, { issuer: context.issuer, audience: context.audience, keys }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).code).toBe("temporarily_unavailable");
    expect(logged).toHaveBeenCalledWith("todo-api: cannot verify access tokens:", expect.anything());
    logged.mockRestore();
  });
});

describe("Cloudflare Access not configured (ACCESS_TEAM_DOMAIN empty)", () => {
  it("ignores a Cf-Access-Jwt-Assertion header: without a bearer token the request is unauthenticated", async () => {
    // A perfectly signed JWT from the trusted issuer, sent as an Access assertion: not a credential here.
    const response = await call("GET", "/api/todos", { headers: { "cf-access-jwt-assertion": await signToken() } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(NO_CREDENTIALS);
  });
});
