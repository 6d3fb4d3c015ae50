/**
 * The local stand-in for Cloudflare Access's edge in front of one application (`npm start -- --provider access`, and
 * the Access end-to-end tests). For each request it does what Access does for a request it lets through: drop any
 * `Cf-Access-Jwt-Assertion` the client sent, check the caller's Access token (the `CF_Authorization` cookie a browser
 * holds after signing in at Access, or a `Cf-Access-Token` header as command-line clients and linked applications
 * send) against the team's keys and the application's policy (its own AUD, or a linked application's), and forward
 * the request to the origin with the application's token in `Cf-Access-Jwt-Assertion`. Anything else: 403.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { AccessTeam } from "./team.ts";

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

export interface AccessPolicy {
  /** The protected application's AUD tag. */
  aud: string;
  /** AUD tags of applications whose tokens this one accepts (Access "linked app token" rules). */
  linked: readonly string[];
}

/** The local Access edge in front of `origin` (see the top of this file), on a free port unless `port` is given. */
export async function startAccessEdge(
  team: AccessTeam,
  origin: string,
  policy: AccessPolicy,
  options: { port?: number; onForward?: (incoming: string, forwarded: string) => void } = {},
): Promise<RunningProxy> {
  const keys = createLocalJWKSet({ keys: [team.keys.current.publicJwk] });
  return startProxy(origin, async (headers) => {
    // A client cannot hand the application an assertion of its own making: Access replaces the header.
    headers.delete("cf-access-jwt-assertion");
    const incoming = headers.get("cf-access-token") ?? cookie(headers.get("cookie"), "CF_Authorization");
    headers.delete("cf-access-token");
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(incoming ?? "", keys, { issuer: team.teamDomain, audience: [policy.aud, ...policy.linked] }));
    } catch {
      return new Response("Forbidden: Cloudflare Access", { status: 403 });
    }
    const forAudience = ([] as unknown[]).concat(claims.aud ?? []);
    // The application's own token as is; a linked application's token is answered with one for this application.
    const forwarded = forAudience.includes(policy.aud) ? incoming! : await team.sign({ ...claims, aud: [policy.aud] });
    headers.set("cf-access-jwt-assertion", forwarded);
    options.onForward?.(incoming!, forwarded);
    return undefined;
  }, options.port);
}

function cookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/**
 * A loopback HTTP proxy to `target`. `inspect` sees (and may change) each request's headers before it is forwarded;
 * a Response it returns is answered instead of forwarding.
 */
export async function startProxy(
  target: string,
  inspect: (headers: Headers) => Promise<Response | undefined>,
  port = 0,
): Promise<RunningProxy> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(name)) continue;
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      inspect(headers)
        .then((refusal) =>
          refusal ?? fetch(new URL(req.url ?? "/", target), { method: req.method ?? "GET", headers, ...(body ? { body } : {}), redirect: "manual" }),
        )
        .then(async (response) => {
          const out: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(name)) out[name] = value;
          });
          const payload = Buffer.from(await response.arrayBuffer());
          res.writeHead(response.status, out).end(payload);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { "content-type": "text/plain" }).end(`proxy: ${String(error)}`);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
