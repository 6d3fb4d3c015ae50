/**
 * Global setup of the Todo API suites (runs in Node): an identity provider's key set, served over HTTP on a free
 * loopback port for the Worker under test to fetch with jose's createRemoteJWKSet. Two RS256 key pairs: `current` is
 * published from the start, `next` only after a POST to /rotate (a key rotation). GET /stats counts the key set's
 * fetches. The private keys go to the tests, which sign their own tokens. The same keys are also served as a Cloudflare
 * Access team's certs (`/cdn-cgi/access/certs`, with the origin as the team domain) for the API's Access mode.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { TestProject } from "vitest/node";
import type { SigningKey } from "./provided.ts";

const ISSUER = "http://127.0.0.1:9031";
const AUDIENCE = "http://127.0.0.1:8787";

async function keyPair(kid: string): Promise<{ signing: SigningKey; publicJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const meta = { kid, alg: "RS256", use: "sig" };
  return {
    signing: { kid, privateJwk: { ...(await exportJWK(privateKey)), ...meta } },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const current = await keyPair("todo-api-test-1");
  const next = await keyPair("todo-api-test-2");
  let published = [current.publicJwk];
  let fetches = 0;

  const server = createServer((request, response) => {
    if (request.method === "GET" && (request.url === "/pf/JWKS" || request.url === "/cdn-cgi/access/certs")) {
      fetches++;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ keys: published }));
    } else if (request.method === "POST" && request.url === "/rotate") {
      published = [current.publicJwk, next.publicJwk];
      response.writeHead(204).end();
    } else if (request.method === "GET" && request.url === "/stats") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ fetches }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  project.provide("todoApi", {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: `${origin}/pf/JWKS`,
    accessTeamDomain: origin,
    rotateUrl: `${origin}/rotate`,
    statsUrl: `${origin}/stats`,
    keys: { current: current.signing, next: next.signing },
  });

  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
