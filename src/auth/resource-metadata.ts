/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata for the bridge's MCP resource. Only the resource's own metadata is
 * served: the authorization server's metadata stays at the issuer (never re-served under the bridge's origin).
 */

export const WELL_KNOWN_PRM = "/.well-known/oauth-protected-resource";

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name?: string;
}

export interface ResourceMetadataOptions {
  /** The canonical MCP URL (RFC 8707 resource, the token audience). */
  readonly resource: string;
  readonly issuer: string;
  /** The API scopes; `offline_access` is dropped (MCP authorization: never advertise it for a resource). */
  readonly scopes: readonly string[];
  readonly resourceName?: string;
}

export function resourceMetadataDocument(options: ResourceMetadataOptions): ProtectedResourceMetadata {
  return {
    resource: options.resource,
    authorization_servers: [options.issuer],
    scopes_supported: advertisedScopes(options.scopes),
    // RFC 6750 §2.1 only: the header method.
    bearer_methods_supported: ["header"],
    ...(options.resourceName ? { resource_name: options.resourceName } : {}),
  };
}

export function advertisedScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].filter((scope) => scope !== "offline_access");
}

/**
 * RFC 9728 §3.1: the well-known segment is inserted between the host and the resource's path
 * (`https://h/mcp` → `https://h/.well-known/oauth-protected-resource/mcp`).
 */
export function resourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/+$/, "");
  return `${WELL_KNOWN_PRM}${path}`;
}

/** The absolute metadata URL named in challenges (RFC 9728 §5.1), on the canonical resource's origin. */
export function resourceMetadataUrl(resource: string): string {
  return new URL(resourceMetadataPath(resource), resource).href;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "*",
} as const;

/** Serves the document at the path-inserted URL and at the root well-known URL; undefined for any other path. */
export function createResourceMetadataHandler(options: ResourceMetadataOptions): (request: Request) => Response | undefined {
  const paths = new Set([resourceMetadataPath(options.resource), WELL_KNOWN_PRM]);
  const body = JSON.stringify(resourceMetadataDocument(options));
  return (request) => {
    if (!paths.has(new URL(request.url).pathname)) return undefined;
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { ...CORS, allow: "GET, HEAD, OPTIONS" } });
    }
    return new Response(request.method === "HEAD" ? null : body, {
      status: 200,
      headers: { ...CORS, "content-type": "application/json", "cache-control": "public, max-age=3600" },
    });
  };
}
