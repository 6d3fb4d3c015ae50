/**
 * A tiny authorization server double for the PingFederate adapter's unit tests, on 127.0.0.1 with a free port:
 * OIDC discovery at PingFederate's paths, a JWKS (RS256 and ES256 keys, rotation on demand), a token endpoint with
 * just enough RFC 8693 to record requests, and RFC 7662 introspection over a table the test fills.
 *
 * The end-to-end suite uses the real local identity provider (`scripts/idp`, oidc-provider with PingFederate's
 * paths) instead; this double exists so the adapter's unit tests need nothing but Node.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export interface RecordedRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly form: URLSearchParams;
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: "RS256" | "ES256";
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface TokenExchangeReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface AsDouble {
  readonly issuer: string;
  readonly keys: { readonly rs: SigningKey; readonly es: SigningKey; readonly next: SigningKey };
  readonly exchanges: RecordedRequest[];
  readonly introspections: RecordedRequest[];
  jwksFetches: number;
  discoveryFetches: number;
  /** Publishes `next` as well (a rotation). */
  rotate(): void;
  /** What the token endpoint answers; default: a fresh token valid 300 s. */
  onExchange: (request: RecordedRequest, n: number) => TokenExchangeReply;
  /** Introspection results by token; unknown tokens are inactive. */
  readonly introspection: Map<string, Record<string, unknown>>;
  /** Delays token endpoint answers (to make concurrent misses overlap). */
  exchangeDelayMs: number;
  sign(claims: JWTPayload, options?: { key?: SigningKey; header?: Record<string, unknown> }): Promise<string>;
  close(): Promise<void>;
}

async function signingKey(kid: string, alg: "RS256" | "ES256"): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startAsDouble(): Promise<AsDouble> {
  const keys = { rs: await signingKey("rs-1", "RS256"), es: await signingKey("es-1", "ES256"), next: await signingKey("rs-2", "RS256") };
  let published: JWK[] = [keys.rs.publicJwk, keys.es.publicJwk];
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const double: AsDouble = {
    issuer,
    keys,
    exchanges: [],
    introspections: [],
    jwksFetches: 0,
    discoveryFetches: 0,
    rotate: () => {
      published = [keys.rs.publicJwk, keys.es.publicJwk, keys.next.publicJwk];
    },
    onExchange: (_request, n) => ({
      status: 200,
      body: {
        access_token: `exchanged-${n}`,
        issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
        token_type: "Bearer",
        expires_in: 300,
      },
    }),
    introspection: new Map(),
    exchangeDelayMs: 0,
    sign: (claims, options = {}) => {
      const key = options.key ?? keys.rs;
      return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...options.header }).sign(key.privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  server.on("request", async (request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const path = request.url ?? "/";
    if (request.method === "GET" && path === "/.well-known/openid-configuration") {
      double.discoveryFetches++;
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/as/authorization.oauth2`,
        token_endpoint: `${issuer}/as/token.oauth2`,
        introspection_endpoint: `${issuer}/as/introspect.oauth2`,
        jwks_uri: `${issuer}/pf/JWKS`,
      });
    }
    if (request.method === "GET" && path === "/pf/JWKS") {
      double.jwksFetches++;
      return json(200, { keys: published });
    }
    if (request.method === "POST" && path === "/as/token.oauth2") {
      const recorded = { path, authorization: request.headers.authorization, form: await readForm(request) };
      double.exchanges.push(recorded);
      const n = double.exchanges.length;
      if (double.exchangeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, double.exchangeDelayMs));
      if (recorded.form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange") {
        return json(400, { error: "unsupported_grant_type" });
      }
      const reply = double.onExchange(recorded, n);
      return json(reply.status, reply.body);
    }
    if (request.method === "POST" && path === "/as/introspect.oauth2") {
      const recorded = { path, authorization: request.headers.authorization, form: await readForm(request) };
      double.introspections.push(recorded);
      return json(200, double.introspection.get(recorded.form.get("token") ?? "") ?? { active: false });
    }
    json(404, { error: "not_found" });
  });
  return double;
}
