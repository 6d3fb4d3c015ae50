/**
 * Where an operation's request must go (OpenAPI 3.1.1 §4.8.5 Server Object; §4.8.9/§4.8.10: `servers` on a path
 * item or an operation override the API's). bridge.yaml's `api.baseUrl` stands for the API's own (first) server;
 * an operation whose servers include that one may use it, any other goes to one of its own servers, with each
 * variable at its default (§4.8.6; no bridge.yaml override is configured in the corpus).
 */
import { isObject, type Json, type RawOperation, type RawSpec } from "../raw-spec.ts";

/** The base URLs (no trailing slash) a request for `op` may start with. */
export function allowedBases(spec: RawSpec, op: RawOperation, configuredBase: string): string[] {
  const configured = [trimSlash(configuredBase)];
  if (spec.version === "2.0") return configured;
  // The path item as resolved (a path item `$ref` brings the referenced item's servers, §4.8.9.1); an empty
  // `servers` list names no server, so the next level's apply (as an absent one).
  const listed = (servers: unknown): unknown[] | undefined => (Array.isArray(servers) && servers.length > 0 ? servers : undefined);
  const own = listed(op.node["servers"]) ?? listed(op.pathItem["servers"]);
  if (own === undefined) return configured;
  // Compared as written (scheme-relative `//host` as https): the configured base stands for the first root server.
  const root = serverUrls(spec.doc["servers"], PLACEHOLDER);
  if (root.length === 0 || serverUrls(own, PLACEHOLDER).includes(root[0]!)) return configured;
  // Sent to: a relative server URL is relative to where the API is, which the configured base says.
  return serverUrls(own, `${configured[0]}/`);
}

const PLACEHOLDER = "https://relative.invalid/";

function serverUrls(servers: unknown, relativeTo: string): string[] {
  if (!Array.isArray(servers)) return [];
  return servers.filter(isObject).flatMap((server) => {
    const url = withDefaults(server);
    if (url === undefined) return [];
    try {
      return [trimSlash(new URL(url, relativeTo).href)];
    } catch {
      return [];
    }
  });
}

/** `{variable}` replaced by its `default` (REQUIRED for each variable, §4.8.6). */
function withDefaults(server: Json): string | undefined {
  if (typeof server["url"] !== "string") return undefined;
  const variables = isObject(server["variables"]) ? server["variables"] : {};
  return server["url"].replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable["default"] === "string" ? variable["default"] : whole;
  });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
