/**
 * What the Todo API suites' global setup (global-setup.ts, Node side) hands to the tests and to the Worker's bindings
 * (`inject("todoApi")`). Types only, so both the workerd and the Node programs can import it.
 */
import type { JWK } from "jose";

export interface SigningKey {
  kid: string;
  /** The private key as a JWK (with `kid` and `alg`), for signing test tokens. */
  privateJwk: JWK;
}

export interface TodoApiTestContext {
  /** The issuer the Worker under test trusts (its `ISSUER` binding). */
  issuer: string;
  /** The audience the Worker under test expects (its `AUDIENCE` binding). */
  audience: string;
  /** The test JWKS server's key set URL (the Worker's `JWKS_URL` binding). */
  jwksUrl: string;
  /** A Cloudflare Access team domain serving the same keys as `/cdn-cgi/access/certs`. */
  accessTeamDomain: string;
  /** POST here to rotate keys: the key set then publishes `next` beside `current`. */
  rotateUrl: string;
  /** GET here for `{fetches}`: how many times the key set was fetched. */
  statsUrl: string;
  keys: { current: SigningKey; next: SigningKey };
}

declare module "vitest" {
  export interface ProvidedContext {
    todoApi: TodoApiTestContext;
  }
}
