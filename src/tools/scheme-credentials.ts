/**
 * Credentials the bridge itself holds for an API's non-OAuth security schemes (bridge.yaml `upstream.schemes`,
 * carried per tool in generated/tools.ts as `credentials`): read from the Worker's secrets at call time and placed
 * where the scheme says. Values never appear in a message, a log line or an error.
 *
 * - apiKey (OpenAPI 3.1 §4.8.27, `in`/`name`): a header, a query parameter or a cookie. A tool argument of the same
 *   name at the same place is replaced, so a model cannot shadow the key.
 * - http basic (RFC 7617 §2): `Authorization: Basic base64(user-id ":" password)`, UTF-8 (§2.1 `charset="UTF-8"`).
 */
import { BridgeError } from "../errors.ts";
import type { HttpRequestPlan } from "./request.ts";
import type { SchemeCredential } from "./types.ts";

/** A Worker secret a tool's credentials name is not set: the operator's mistake, named by variable only. */
export class SchemeSecretMissing extends BridgeError {
  override readonly name = "SchemeSecretMissing";
  readonly code = "ERR_SCHEME_SECRET_MISSING";
  /** The Worker variable that is missing (a name, never a value). */
  readonly variable: string;
  constructor(variable: string) {
    super(`the Worker secret ${variable} is not set`, { variable });
    this.variable = variable;
  }
}

/** `plan` with every credential added; `plan` itself is left as it was. */
export function withSchemeCredentials(
  plan: HttpRequestPlan,
  credentials: readonly SchemeCredential[] | undefined,
  env: Readonly<Record<string, unknown>>,
): HttpRequestPlan {
  if (!credentials || credentials.length === 0) return plan;
  let url = plan.url;
  const headers = { ...plan.headers };
  for (const credential of credentials) {
    if (credential.type === "basic") {
      const pair = `${secret(env, credential.usernameEnv)}:${secret(env, credential.passwordEnv)}`;
      headers["authorization"] = `Basic ${base64(pair)}`;
      continue;
    }
    const value = secret(env, credential.valueEnv);
    if (credential.in === "header") headers[credential.name.toLowerCase()] = value;
    else if (credential.in === "query") url = withQueryParameter(url, credential.name, value);
    else headers["cookie"] = withCookie(headers["cookie"], credential.name, value);
  }
  return { ...plan, url, headers: sortedKeys(headers) };
}

function secret(env: Readonly<Record<string, unknown>>, variable: string): string {
  const value = env[variable];
  if (typeof value !== "string" || value === "") throw new SchemeSecretMissing(variable);
  return value;
}

/** The query with every `name` pair replaced by `name=value` (percent-encoded, RFC 3986 §3.4). */
function withQueryParameter(url: string, name: string, value: string): string {
  const [base, query = ""] = splitOnce(url, "?");
  const kept = query.split("&").filter((pair) => pair !== "" && decodedName(pair) !== name);
  return `${base}?${[...kept, `${encodeURIComponent(name)}=${encodeURIComponent(value)}`].join("&")}`;
}

function decodedName(pair: string): string {
  const [name = ""] = splitOnce(pair, "=");
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}

/** The Cookie header with `name` set to `value` (RFC 6265 §4.2.1: `name=value` pairs joined by "; "). */
function withCookie(header: string | undefined, name: string, value: string): string {
  const kept = (header ?? "").split(";").map((pair) => pair.trim()).filter((pair) => pair !== "" && splitOnce(pair, "=")[0] !== name);
  return [...kept, `${name}=${encodeURIComponent(value)}`].join("; ");
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The plan's headers are lower-case and sorted (tools/request.ts); added ones keep that. */
function sortedKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
