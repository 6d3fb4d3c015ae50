/**
 * Where the authorization server's endpoints are: OpenID Connect Discovery (`<issuer>/.well-known/openid-configuration`)
 * fetched once per isolate and cached, with bridge.yaml's explicit endpoints winning when set.
 */
import { allowInsecureRequests, customFetch, discoveryRequest, processDiscoveryResponse } from "oauth4webapi";
import { withTimeout, type Clock } from "../clock.ts";
import { IdentityProviderResponseInvalid } from "./errors.ts";
import { IDP_TIMEOUT_MS, idpError, idpFetch } from "./idp-errors.ts";

export interface EndpointOverrides {
  readonly issuer: string;
  readonly jwksUri?: string;
  readonly tokenEndpoint?: string;
  readonly introspectionEndpoint?: string;
}

export type EndpointName = "jwks_uri" | "token_endpoint" | "introspection_endpoint";

type Metadata = Readonly<Record<string, unknown>>;

/** Per issuer, per isolate. A failed discovery is dropped so the next request retries. */
const discovered = new Map<string, Promise<Metadata>>();

/** For tests. */
export function clearDiscoveryCache(): void {
  discovered.clear();
}

/**
 * http is allowed only for loopback hosts (local development against the local identity provider); everything else
 * must be https (RFC 6749 §3.1, §3.2 require TLS at the endpoints).
 */
export function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]");
}

export function assertSecureUrl(url: string, what: string): string | undefined {
  const { protocol } = new URL(url);
  if (protocol === "https:" || isLoopbackHttp(url)) return undefined;
  return `${what} must use https (http is allowed only on 127.0.0.1/localhost): ${url}`;
}

export function createEndpointResolver(overrides: EndpointOverrides, fetchImpl: typeof fetch, clock: Clock) {
  const explicit: Record<EndpointName, string | undefined> = {
    jwks_uri: overrides.jwksUri,
    token_endpoint: overrides.tokenEndpoint,
    introspection_endpoint: overrides.introspectionEndpoint,
  };

  function metadata(): Promise<Metadata> {
    let pending = discovered.get(overrides.issuer);
    if (!pending) {
      pending = discover(overrides.issuer, fetchImpl, clock);
      discovered.set(overrides.issuer, pending);
      // Only evicts: the failure itself reaches whoever awaits `pending`.
      pending.catch(() => discovered.delete(overrides.issuer));
    }
    return pending;
  }

  return async function endpoint(name: EndpointName): Promise<string> {
    const configured = explicit[name];
    if (configured) return configured;
    const value = (await metadata())[name];
    if (typeof value !== "string" || value === "") {
      throw new IdentityProviderResponseInvalid("discovery", `the discovery document has no ${name}: set it in bridge.yaml`);
    }
    const insecure = assertSecureUrl(value, name);
    if (insecure) throw new IdentityProviderResponseInvalid("discovery", insecure);
    return value;
  };
}

async function discover(issuer: string, fetchImpl: typeof fetch, clock: Clock): Promise<Metadata> {
  const issuerUrl = new URL(issuer);
  try {
    return await withTimeout(clock, IDP_TIMEOUT_MS, async (signal) => {
      const response = await discoveryRequest(issuerUrl, {
        algorithm: "oidc",
        [customFetch]: idpFetch(fetchImpl, "discovery"),
        [allowInsecureRequests]: isLoopbackHttp(issuer),
        signal,
      });
      // OpenID Connect Discovery 1.0 §4.3: the document's `issuer` must equal the issuer it was fetched for.
      return (await processDiscoveryResponse(issuerUrl, response)) as Metadata;
    });
  } catch (error) {
    throw idpError(error, "discovery");
  }
}
