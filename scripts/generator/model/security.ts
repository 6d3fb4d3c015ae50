/**
 * What an operation's security asks of the bridge, and which of its alternatives the bridge meets.
 *
 * `security` is a list of Security Requirement Objects, any one of which suffices; each names schemes that must all
 * be satisfied together (OpenAPI 3.1 §4.8.30). An operation's `security` replaces the top-level one; `[]` removes
 * it; an empty object `{}` among the alternatives makes security optional.
 *
 * The bridge meets a scheme by:
 * - OAuth: `oauth2`, `openIdConnect` and `http` `bearer` get the caller's upstream token (`upstream.credentials`);
 * - a Worker secret named in bridge.yaml (`upstream.schemes.<name>`): `apiKey` (sent per its `in`/`name`) and `http`
 *   `basic` (RFC 7617);
 * - `mutualTLS`: only through `api.binding` naming an mTLS certificate binding, whose `fetch` presents the client
 *   certificate (or a service binding, which reaches the API's Worker without TLS at all).
 * Anything else (`http` `digest`, an undeclared scheme) it cannot meet.
 *
 * Of the alternatives it can meet, the first that involves OAuth wins (the caller's own permissions decide, not a
 * shared key); failing that, the first it can meet at all.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 */
import type { SchemeCredential } from "../../../src/tools/types.ts";
import type { SpecDocument } from "../spec/load.ts";
import { rawSchemes } from "./scopes.ts";
import type { SpecVersion } from "./types.ts";

/** A security scheme as the bridge sees it, from Swagger 2.0 `securityDefinitions` or OpenAPI 3 `securitySchemes`. */
export type SchemeModel =
  | { type: "oauth"; label: string }
  | { type: "apiKey"; in: "header" | "query" | "cookie"; name: string }
  | { type: "basic" }
  | { type: "mutualTLS" }
  | { type: "unsupported"; label: string };

/** bridge.yaml `upstream.schemes`: the Worker secrets for schemes the bridge sends itself. */
export type SchemeSecrets = Readonly<Record<string, { valueEnv?: string | undefined; usernameEnv?: string | undefined; passwordEnv?: string | undefined }>>;

export interface SecurityDecision {
  /** Scopes of the chosen alternative's OAuth schemes (what the caller must hold). */
  scopes: string[];
  /** Secrets the bridge adds to each call, for the chosen alternative's apiKey / basic schemes. */
  credentials: SchemeCredential[];
  /** Every scope any alternative names (whatever was chosen): scopes bridge.yaml may legitimately mention. */
  mentioned: string[];
  /** Set when no alternative can be met: each alternative, described with what it lacks. */
  unmet?: string[];
  /** Which alternative was taken, when there were several. */
  note?: string;
}

export function securitySchemes(document: SpecDocument, version: SpecVersion): Map<string, SchemeModel> {
  const raw = rawSchemes(document, version);
  const schemes = new Map<string, SchemeModel>();
  for (const [name, scheme] of Object.entries(raw)) schemes.set(name, schemeModel(scheme));
  return schemes;
}

function schemeModel(scheme: Record<string, unknown> | undefined): SchemeModel {
  const type = scheme?.["type"];
  const httpScheme = typeof scheme?.["scheme"] === "string" ? scheme["scheme"].toLowerCase() : "";
  if (type === "oauth2" || type === "openIdConnect") return { type: "oauth", label: type === "oauth2" ? "OAuth 2" : "OpenID Connect" };
  // RFC 9110 §11.1: auth-scheme names are case-insensitive. Swagger 2.0 names HTTP basic `type: basic`.
  if ((type === "http" && httpScheme === "bearer")) return { type: "oauth", label: "HTTP bearer" };
  if ((type === "http" && httpScheme === "basic") || type === "basic") return { type: "basic" };
  if (type === "mutualTLS") return { type: "mutualTLS" };
  const where = scheme?.["in"];
  if (type === "apiKey" && (where === "header" || where === "query" || where === "cookie") && typeof scheme?.["name"] === "string") {
    return { type: "apiKey", in: where, name: scheme["name"] };
  }
  return { type: "unsupported", label: type === "http" ? `HTTP ${httpScheme || "(no scheme)"}` : String(type ?? "undeclared") };
}

type Requirement = Record<string, unknown>;

/** The alternatives of an operation's security (its own, else the document's). */
function alternativesOf(document: SpecDocument, operation: Record<string, unknown>): Requirement[] {
  const given = (operation["security"] ?? document["security"]) as unknown;
  return Array.isArray(given) ? given.filter(isRequirement) : [];
}

/** A module function, not an arrow made at each of the two calls per operation. */
function isRequirement(value: unknown): value is Requirement {
  return value !== null && typeof value === "object";
}

/** Every OAuth scope any alternative of the operation's security names. */
export function mentionedScopes(document: SpecDocument, operation: Record<string, unknown>, schemes: ReadonlyMap<string, SchemeModel>): string[] {
  // Loops, not flatMap, Object.entries and a set spread: this runs twice per operation (GitHub: ~1 MB of its model).
  const alternatives = alternativesOf(document, operation);
  const scopes: string[] = [];
  for (let i = 0; i < alternatives.length; i++) {
    const requirement = alternatives[i]!;
    const names = Object.keys(requirement);
    for (let j = 0; j < names.length; j++) {
      if (schemes.get(names[j]!)?.type === "oauth") addScopes(requirement[names[j]!], scopes);
    }
  }
  return scopes;
}

/** The strings of a requirement's scope list not yet in `scopes`, in order (a scope is listed once). */
function addScopes(value: unknown, scopes: string[]): void {
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length; i++) {
    const scope: unknown = value[i];
    if (typeof scope === "string" && !scopes.includes(scope)) scopes.push(scope);
  }
}

export function securityFor(
  document: SpecDocument,
  operation: Record<string, unknown>,
  schemes: ReadonlyMap<string, SchemeModel>,
  secrets: SchemeSecrets,
  binding: boolean,
): SecurityDecision {
  const alternatives = alternativesOf(document, operation);
  const mentioned = mentionedScopes(document, operation, schemes);
  // No requirement, or an empty one among them: anyone signed in may call the operation.
  // Index loops, not some, map and two finds with an arrow each: this runs for every operation (see mentionedScopes).
  if (alternatives.length === 0 || hasEmptyRequirement(alternatives)) return { scopes: [], credentials: [], mentioned };

  const met: Met[] = [];
  for (let i = 0; i < alternatives.length; i++) met.push(meet(alternatives[i]!, schemes, secrets, binding));
  const chosen = firstMet(met, true) ?? firstMet(met, false);
  if (!chosen) return { scopes: [], credentials: [], mentioned, unmet: met.map((m) => m.text) };
  const decision: SecurityDecision = { scopes: chosen.scopes, credentials: chosen.credentials, mentioned };
  if (alternatives.length > 1) decision.note = `security offers ${alternatives.length} alternatives; the bridge uses the first it can meet: ${chosen.text}`;
  return decision;
}

function hasEmptyRequirement(alternatives: readonly Requirement[]): boolean {
  for (let i = 0; i < alternatives.length; i++) if (Object.keys(alternatives[i]!).length === 0) return true;
  return false;
}

/** The first alternative met (and with OAuth, when `oauth`). */
function firstMet(met: readonly Met[], oauth: boolean): Met | undefined {
  for (let i = 0; i < met.length; i++) if (met[i]!.ok && (!oauth || met[i]!.oauth)) return met[i];
  return undefined;
}

interface Met {
  ok: boolean;
  oauth: boolean;
  scopes: string[];
  credentials: SchemeCredential[];
  /** The alternative in words: `oauth (write)`, `api_key (apiKey in header X-Key: no upstream.schemes entry)`. */
  text: string;
}

function meet(requirement: Requirement, schemes: ReadonlyMap<string, SchemeModel>, secrets: SchemeSecrets, binding: boolean): Met {
  const result: Met = { ok: true, oauth: false, scopes: [], credentials: [], text: "" };
  const parts: string[] = [];
  const names = Object.keys(requirement);
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!;
    const scopeList = requirement[name];
    const scheme = schemes.get(name) ?? { type: "unsupported", label: "not a declared security scheme" };
    const secret = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    const scopes = strings(scopeList);
    let lack: string | undefined;
    switch (scheme.type) {
      case "oauth":
        result.oauth = true;
        for (let i = 0; i < scopes.length; i++) if (!result.scopes.includes(scopes[i]!)) result.scopes.push(scopes[i]!);
        parts.push(`${name} (${scopes.join(" ") || "no scopes"})`);
        continue;
      case "apiKey":
        if (secret?.valueEnv) result.credentials.push({ scheme: name, type: "apiKey", in: scheme.in, name: scheme.name, valueEnv: secret.valueEnv });
        else lack = `API key in ${scheme.in} ${scheme.name}: needs upstream.schemes.${name}.valueEnv`;
        break;
      case "basic":
        if (secret?.usernameEnv && secret.passwordEnv) result.credentials.push({ scheme: name, type: "basic", usernameEnv: secret.usernameEnv, passwordEnv: secret.passwordEnv });
        else lack = `HTTP basic: needs upstream.schemes.${name}.usernameEnv and passwordEnv`;
        break;
      case "mutualTLS":
        if (!binding) lack = "mutual TLS: needs api.binding naming an mtls_certificates binding";
        break;
      case "unsupported":
        lack = scheme.label === "not a declared security scheme" ? scheme.label : `${scheme.label}: the bridge cannot send it`;
        break;
    }
    if (lack) result.ok = false;
    parts.push(lack ? `${name} (${lack})` : name);
  }
  result.text = parts.join(" + ");
  return result;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter(isString) : [];
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}
