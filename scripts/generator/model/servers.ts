/**
 * Where each operation is sent. The API's own server (the spec's first top-level server, or bridge.yaml's
 * `api.baseUrl`) by default, and whenever it is among the operation's servers; a path item or operation that lists
 * `servers` of its own (an upload host, an OAuth host) is sent to the first of those, with its variables filled in and an environment override per server, both from
 * bridge.yaml's `api.servers` keyed by the URL as the spec writes it.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#server-object
 * @see https://spec.openapis.org/oas/v3.1.0#path-item-object (servers: "an alternative server array to service all
 *   operations in this path"), #operation-object (servers: overrides the path's and the document's)
 */
import type { ServerBinding } from "../../../src/tools/types.ts";
import type { BridgeConfig } from "../config/schema.ts";
import { didYouMean } from "../config/suggest.ts";
import type { LoadedSpec } from "../spec/load.ts";

type Json = Record<string, unknown>;
type ServersConfig = NonNullable<BridgeConfig["api"]["servers"]>;

/** A bridge.yaml problem under `api.servers`, with its stable rule code (docs/configuration.md lists them). */
export type ReportServerProblem = (code: string, path: (string | number)[], message: string, part?: "key" | "value") => void;

/** The server of one operation, or undefined when it is the API's own. */
export interface OperationServer extends ServerBinding {
  /** The URL template as the spec writes it (the key in bridge.yaml's `api.servers`). */
  template: string;
}

/** The operation's own `servers`, else its path item's; empty lists count as absent. */
function ownServers(pathItem: Json, operation: Json): Json[] | undefined {
  for (const list of [operation["servers"], pathItem["servers"]]) {
    const servers = Array.isArray(list) ? list.filter((s): s is Json => typeof (s as Json | undefined)?.["url"] === "string") : [];
    if (servers.length > 0) return servers;
  }
  return undefined;
}

export function operationServer(
  pathItem: Json,
  operation: Json,
  apiServer: string | undefined,
  configured: ServersConfig,
  report: ReportServerProblem,
): OperationServer | undefined {
  const servers = ownServers(pathItem, operation);
  if (!servers) return undefined;
  // An operation the API's own server also serves (specs often repeat it per operation): the API's base URL, so
  // bridge.yaml's api.baseUrl and its override apply.
  const withDefaults = (server: Json) => fillVariables(server["url"] as string, (server["variables"] ?? {}) as Record<string, Json>, {}, () => {});
  if (apiServer !== undefined && servers.some((server) => sameServer(withDefaults(server), apiServer))) return undefined;
  const server = servers[0]!;
  const template = server["url"] as string;
  const settings = Object.hasOwn(configured, template) ? configured[template] : undefined;
  const url = settings?.url ?? fillVariables(template, (server["variables"] ?? {}) as Record<string, Json>, settings?.variables ?? {}, (code, name, message, part) =>
    report(code, ["api", "servers", template, "variables", name], message, part));
  return settings?.urlEnv ? { template, url, urlEnv: settings.urlEnv } : { template, url };
}

/**
 * Substitutes `{name}` with bridge.yaml's value, else the variable's default (OpenAPI 3.1 §4.8.6: "default … SHALL be
 * used for substitution"). A value outside the variable's `enum`, or a variable the server does not declare, is a
 * bridge.yaml error.
 */
function fillVariables(
  template: string,
  variables: Record<string, Json>,
  given: Readonly<Record<string, string>>,
  report: (code: string, name: string, message: string, part: "key" | "value") => void,
): string {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(variables, name)) report("BRIDGE_SERVER_VARIABLE_UNKNOWN", name, `server ${template} has no variable "${name}" (it has: ${Object.keys(variables).join(", ") || "none"})`, "key");
    const allowed = variables[name]?.["enum"];
    if (Array.isArray(allowed) && !allowed.includes(given[name])) {
      report("BRIDGE_SERVER_VARIABLE_VALUE", name, `"${given[name]}" is not one of the values server ${template} allows for {${name}}: ${allowed.join(", ")}`, "value");
    }
  }
  return template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = Object.hasOwn(given, name) ? given[name] : variables[name]?.["default"];
    return value === undefined ? whole : String(value);
  });
}

/** Checks bridge.yaml's `api.servers` keys name servers that operations actually use. */
export function checkConfiguredServers(configured: ServersConfig, used: readonly string[], apiServerTemplate: string | undefined, report: ReportServerProblem): void {
  for (const template of Object.keys(configured)) {
    if (used.includes(template)) continue;
    if (template === apiServerTemplate) {
      report("BRIDGE_SERVER_IS_API", ["api", "servers", template], `${template} is the API's own server: set api.baseUrl / api.baseUrlEnv instead`, "key");
    } else {
      report("BRIDGE_SERVER_UNUSED", ["api", "servers", template], `no operation is sent to server ${template}${didYouMean(template, used)}`, "key");
    }
  }
}

/** The spec's first server URL with default variables (Swagger 2.0: scheme, host and basePath), or undefined. */
export function apiServerUrl(spec: LoadedSpec): { url: string; template: string } | undefined {
  const doc = spec.document;
  if (spec.version === "2.0") {
    if (typeof doc["host"] !== "string") return undefined;
    const scheme = Array.isArray(doc["schemes"]) && doc["schemes"].includes("https") ? "https" : String((doc["schemes"] as string[] | undefined)?.[0] ?? "https");
    const url = `${scheme}://${doc["host"]}${typeof doc["basePath"] === "string" ? doc["basePath"] : ""}`.replace(/\/$/, "");
    return { url, template: url };
  }
  const servers = doc["servers"];
  const first = Array.isArray(servers) ? (servers[0] as Json | undefined) : undefined;
  if (typeof first?.["url"] !== "string") return undefined;
  const template = first["url"];
  return { template, url: fillVariables(template, (first["variables"] ?? {}) as Record<string, Json>, {}, () => {}) };
}

/**
 * Whether two server URLs name the same place: compared resolved (a scheme-relative `//host`, as Kubernetes' spec
 * writes its own server, is the `https://host` its operations repeat) and without a trailing slash.
 */
function sameServer(a: string, b: string): boolean {
  const normal = (url: string): string => {
    try {
      return new URL(url, "https://relative.invalid/").href.replace(/\/+$/, "");
    } catch {
      return url.replace(/\/+$/, "");
    }
  };
  return normal(a) === normal(b);
}
