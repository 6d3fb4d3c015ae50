/**
 * A local stand-in for a Cloudflare Access team, for the self-hosted Access adapter's unit tests. A real Access team
 * cannot run here (it is Cloudflare's hosted service), so this `node:http` server on 127.0.0.1 (free port) serves
 * what the adapter reads of one: `/cdn-cgi/access/certs`, shaped like Access's (`keys` JWKS plus the `public_cert` /
 * `public_certs` PEM fields Access also returns), with jose-generated RS256 keys and rotation on demand. `sign` makes
 * assertions the way Access does (header `kid`, claims `aud: [AUD]`, `email`, `sub`, `iss`, `iat`, `exp`, `nbf`,
 * `type: "app"`, `identity_nonce`, `country`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

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

export interface AccessDouble {
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

export async function startAccessDouble(): Promise<AccessDouble> {
  const current = await accessKey("access-key-1");
  const next = await accessKey("access-key-2");
  let published: AccessKey[] = [current];

  const server: Server = createServer((request, response) => {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const teamDomain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const base = () => {
    const now = Math.floor(Date.now() / 1000);
    return { aud: [AUD], iss: teamDomain, iat: now, nbf: now, exp: now + 300, type: "app", identity_nonce: "6ei69kawdKzMIAPF", country: "US" };
  };

  const double: AccessDouble = {
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
