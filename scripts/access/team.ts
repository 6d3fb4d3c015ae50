/**
 * A local stand-in for a Cloudflare Access team (`npm start -- --provider access`, and the Access tests). A real
 * Access team cannot run here (it is Cloudflare's hosted service), so this `node:http` server on 127.0.0.1 serves
 * what the bridge and the sample API read of one: `/cdn-cgi/access/certs`, shaped like Access's (`keys` JWKS plus the
 * `public_cert` / `public_certs` PEM fields Access also returns), with jose-generated RS256 keys and rotation on
 * demand. `sign` makes application tokens the way Access does (header `kid`, claims `aud: [AUD]`, `email`, `sub`,
 * `iss`, `iat`, `exp`, `nbf`, `type: "app"`, `identity_nonce`, `country`).
 *
 * Signing in: `GET /cdn-cgi/access/token` with HTTP Basic credentials of a demo account (scripts/idp/accounts.ts:
 * demo/demo, reader/reader) answers the application token of `loginAud` for that user as text, as
 * `cloudflared access login` would hand one to a command-line client (which then sends it as `Cf-Access-Token`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { authenticate } from "../idp/accounts.ts";

export const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
export const EMAIL = "sam@example.com";
export const USER_SUB = "7335d417-61da-459d-899c-0a01c76a2f94";
export const SERVICE_TOKEN_ID = "88bf3b6d86161464f6509f7219099e57.access";

export interface AccessKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly pem: string;
}

export interface AccessTeam {
  /** `http://127.0.0.1:<port>`: the team domain and the assertions' `iss`. */
  readonly teamDomain: string;
  readonly keys: { readonly current: AccessKey; readonly next: AccessKey };
  certsFetches: number;
  /** Publishes `next` (beside `current`), as Access does when it rotates its signing key. */
  rotate(): void;
  /** Answers the certs request with this status (to simulate an outage); 200 by default. */
  certsStatus: number;
  /** A user's assertion; `extra` overrides or adds claims (`undefined` removes one). */
  userClaims(extra?: JWTPayload): JWTPayload;
  /** A service token's assertion: `common_name`, empty `sub`, no email. */
  serviceClaims(extra?: JWTPayload): JWTPayload;
  sign(claims: JWTPayload, options?: { key?: AccessKey; header?: Record<string, unknown> }): Promise<string>;
  close(): Promise<void>;
}

async function accessKey(kid: string): Promise<AccessKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }, pem: await exportSPKI(publicKey) };
}

function withoutUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

export interface AccessTeamOptions {
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  /** The application whose tokens `/cdn-cgi/access/token` hands out (the bridge's AUD tag); off when left out. */
  loginAud?: string;
  /** Lifetime of those tokens in seconds (Access's default session is 24 h); default 8 h. */
  loginTtlSeconds?: number;
}

export async function startAccessTeam(options: AccessTeamOptions = {}): Promise<AccessTeam> {
  const current = await accessKey("access-key-1");
  const next = await accessKey("access-key-2");
  let published: AccessKey[] = [current];

  const server: Server = createServer((request, response) => {
    if (request.url === "/cdn-cgi/access/token" && request.method === "GET" && options.loginAud !== undefined) {
      void answerLogin(request.headers.authorization, options.loginAud).then(([status, text]) => {
        response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...(status === 401 ? { "www-authenticate": 'Basic realm="Cloudflare Access (local)"' } : {}) }).end(text);
      });
      return;
    }
    if (request.url !== "/cdn-cgi/access/certs" || request.method !== "GET") {
      response.writeHead(404).end();
      return;
    }
    double.certsFetches += 1;
    if (double.certsStatus !== 200) {
      response.writeHead(double.certsStatus).end();
      return;
    }
    const body = {
      keys: published.map((key) => key.publicJwk),
      public_cert: { kid: published[0]!.kid, cert: published[0]!.pem },
      public_certs: published.map((key) => ({ kid: key.kid, cert: key.pem })),
    };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const teamDomain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const base = () => {
    const now = Math.floor(Date.now() / 1000);
    return { aud: [AUD], iss: teamDomain, iat: now, nbf: now, exp: now + 300, type: "app", identity_nonce: "6ei69kawdKzMIAPF", country: "US" };
  };

  /** A demo account's application token for `aud`, or a 401 for wrong credentials. */
  async function answerLogin(authorization: string | undefined, aud: string): Promise<[number, string]> {
    const basic = /^Basic (.+)$/i.exec(authorization ?? "")?.[1];
    const [login = "", ...rest] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
    const account = authenticate(login, rest.join(":"));
    if (!account) return [401, "Sign in with a demo account: demo/demo or reader/reader\n"];
    const ttl = options.loginTtlSeconds ?? 8 * 3600;
    const claims = double.userClaims({ aud: [aud], email: account.email, sub: account.id, exp: Math.floor(Date.now() / 1000) + ttl });
    return [200, `${await double.sign(claims)}\n`];
  }

  const double: AccessTeam = {
    teamDomain,
    keys: { current, next },
    certsFetches: 0,
    certsStatus: 200,
    rotate() {
      published = [current, next];
    },
    userClaims: (extra = {}) => withoutUndefined({ ...base(), email: EMAIL, sub: USER_SUB, ...extra }),
    serviceClaims: (extra = {}) => withoutUndefined({ ...base(), sub: "", common_name: SERVICE_TOKEN_ID, ...extra }),
    async sign(claims, options = {}) {
      const key = options.key ?? current;
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid, ...options.header }).sign(key.privateKey);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  return double;
}
