/**
 * What the Miniflare lane's bridge talks to, in this Node process on free loopback ports, answering as fast as Node
 * can so that every lane pays the same small upstream cost:
 *
 * - a Todo API with the sample's contract (GET /api/todos → {todos}, POST /api/todos {todoText} → 201 Todo), in
 *   memory, one list per token `sub`. It reads the bearer token's claims without verifying them: the API's own cost
 *   is not what the lane measures, and the direct lane pays the same.
 * - an identity provider standing in for PingFederate at its paths (discovery, /pf/JWKS, /as/token.oauth2 with
 *   RFC 8693 token exchange as the bridge's confidential client), with the bench's own RS256 key, so the bridge runs
 *   its real PingFederate adapter: JWKS validation of client tokens and exchanges cached per isolate.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, createLocalJWKSet, SignJWT, type JWK } from "jose";

export interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void | Promise<void>): Promise<Listening> {
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      Promise.resolve(handler(request, body, response)).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function json(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** The sample Todo API's list and create, in memory. */
export function startTodoApi(): Promise<Listening> {
  const lists = new Map<string, { id: string; text: string; completed: boolean; createdAt: string }[]>();
  return listen((request, body, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const subject = token === undefined ? undefined : decodeJwt(token).sub;
    if (subject === undefined) return json(response, 401, { error: "unauthorized" });
    if (request.url !== "/api/todos") return json(response, 404, { error: "not_found" });
    const list = lists.get(subject) ?? [];
    lists.set(subject, list);
    if (request.method === "GET") return json(response, 200, { todos: list });
    if (request.method !== "POST") return json(response, 405, { error: "method_not_allowed" });
    const todo = { id: crypto.randomUUID(), text: String((JSON.parse(body) as { todoText: string }).todoText), completed: false, createdAt: new Date().toISOString() };
    // The list stays at most 10 long, so a GET answers the same size however many creates ran before.
    if (list.length >= 10) list.shift();
    list.push(todo);
    return json(response, 201, todo);
  });
}

export interface IdentityProviderStandIn extends Listening {
  /** A client token for the bridge (`aud` = its resource), as PingFederate would issue after sign-in. */
  clientToken(subject: string, scope: string): Promise<string>;
  /** A token for the API, as the exchange returns (for the direct lane). */
  apiToken(subject: string, scope: string): Promise<string>;
  /** How many token exchanges it answered. */
  exchanges(): number;
}

export async function startIdentityProviderStandIn(options: {
  resource: string;
  apiAudience: string;
  client: { id: string; secret: string };
}): Promise<IdentityProviderStandIn> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const meta = { kid: "bench-1", alg: "RS256", use: "sig" };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), ...meta };
  const signingKey = await importJWK({ ...(await exportJWK(privateKey)), ...meta }, "RS256");
  const keys = createLocalJWKSet({ keys: [publicJwk] });
  let issuer = "";
  let exchanges = 0;
  const sign = (claims: Record<string, unknown>, audience: string, subject: string, ttl: number) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: meta.kid, typ: "at+jwt" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(signingKey);
  };
  // RFC 6749 §2.3.1: client_secret_basic, id and secret form-urlencoded before base64.
  const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, " "));
  const clientAuthenticated = (header: string | undefined) => {
    const [id, secret] = Buffer.from(/^Basic (.+)$/.exec(header ?? "")?.[1] ?? "", "base64").toString().split(":").map(formDecode);
    return id === options.client.id && secret === options.client.secret;
  };
  const listening = await listen(async (request, body, response) => {
    const path = new URL(request.url ?? "/", issuer).pathname;
    if (path === "/.well-known/openid-configuration" || path === "/.well-known/oauth-authorization-server") {
      return json(response, 200, { issuer, jwks_uri: `${issuer}/pf/JWKS`, token_endpoint: `${issuer}/as/token.oauth2` });
    }
    if (path === "/pf/JWKS") return json(response, 200, { keys: [publicJwk] });
    if (path !== "/as/token.oauth2" || request.method !== "POST") return json(response, 404, { error: "not_found" });
    if (!clientAuthenticated(request.headers.authorization)) return json(response, 401, { error: "invalid_client" });
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange") return json(response, 400, { error: "unsupported_grant_type" });
    let subject: string;
    try {
      subject = String((await jwtVerify(form.get("subject_token") ?? "", keys, { issuer, audience: options.resource })).payload.sub);
    } catch {
      return json(response, 400, { error: "invalid_grant" });
    }
    exchanges++;
    // RFC 8693 §2.2.1.
    return json(response, 200, {
      access_token: await sign({ scope: form.get("scope") ?? "", act: { sub: options.client.id } }, options.apiAudience, subject, 300),
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 300,
    });
  });
  issuer = listening.url;
  return {
    ...listening,
    clientToken: (subject, scope) => sign({ scope, client_id: "bench-client" }, options.resource, subject, 3600),
    apiToken: (subject, scope) => sign({ scope }, options.apiAudience, subject, 3600),
    exchanges: () => exchanges,
  };
}
