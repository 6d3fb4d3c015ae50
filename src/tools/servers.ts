/**
 * The base URL a tool's request is built on: the API's (bridge.yaml `api.baseUrl`, or `api.baseUrlEnv` at run
 * time), or the operation's own server (`http.server`, its `urlEnv` winning at run time). A relative server URL is
 * resolved against the API's base URL (RFC 3986 §5.2), as the spec's relative servers are relative to where the API
 * is served.
 */
import type { HttpBinding } from "./types.ts";

export function toolBaseUrl(http: HttpBinding, apiBaseUrl: string, env: Readonly<Record<string, unknown>>): string {
  const server = http.server;
  if (!server) return apiBaseUrl;
  const fromEnv = server.urlEnv ? env[server.urlEnv] : undefined;
  const url = typeof fromEnv === "string" && fromEnv !== "" ? fromEnv : server.url;
  // With a trailing slash, `v2` resolves below the API's path prefix and `/v2` at its origin.
  return new URL(url, apiBaseUrl.endsWith("/") ? apiBaseUrl : `${apiBaseUrl}/`).href;
}
