/**
 * Required scopes from the operation's Security Requirement Objects, falling back to the document's top-level
 * `security` (OpenAPI 3.1 §4.8.10: an operation's `security` replaces the top-level one; `[]` removes it).
 *
 * A list of requirements means "any one of these"; the bridge needs one set, so it takes the first requirement that
 * uses an OAuth 2 / OpenID Connect scheme and reports the choice when there were alternatives.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 */
import type { SpecDocument } from "../spec/load.ts";
import type { SpecVersion } from "./types.ts";

export interface ScopeDecision {
  scopes: string[];
  note?: string;
}

export function scopesFor(document: SpecDocument, version: SpecVersion, operation: Record<string, unknown>): ScopeDecision {
  const requirements = (operation["security"] ?? document["security"]) as unknown;
  if (!Array.isArray(requirements) || requirements.length === 0) return { scopes: [] };
  const schemes = securitySchemes(document, version);
  const scoped = requirements.filter(
    (r): r is Record<string, string[]> =>
      r !== null && typeof r === "object" && Object.keys(r).some((name) => isScopedScheme(schemes[name])),
  );
  // An empty requirement `{}` makes security optional: anyone signed in may call the operation.
  if (requirements.some((r) => r && typeof r === "object" && Object.keys(r).length === 0)) return { scopes: [] };
  const chosen = scoped[0];
  if (!chosen) return { scopes: [] };
  const scopes = [...new Set(Object.entries(chosen).filter(([name]) => isScopedScheme(schemes[name])).flatMap(([, s]) => s))];
  const note =
    requirements.length > 1
      ? `security offers ${requirements.length} alternatives; the bridge requires the first OAuth one: ${scopes.join(" ") || "(no scopes)"}`
      : undefined;
  return note ? { scopes, note } : { scopes };
}

type Schemes = Record<string, Record<string, unknown> | undefined>;

function securitySchemes(document: SpecDocument, version: SpecVersion): Schemes {
  if (version === "2.0") return (document["securityDefinitions"] ?? {}) as Schemes;
  const components = (document["components"] ?? {}) as Record<string, unknown>;
  return (components["securitySchemes"] ?? {}) as Schemes;
}

function isScopedScheme(scheme: Record<string, unknown> | undefined): boolean {
  return scheme?.["type"] === "oauth2" || scheme?.["type"] === "openIdConnect";
}

/** Every scope the spec declares, with its description, in document order. */
export function declaredScopes(document: SpecDocument, version: SpecVersion): Map<string, string> {
  const declared = new Map<string, string>();
  for (const scheme of Object.values(securitySchemes(document, version))) {
    if (!scheme) continue;
    const flows = version === "2.0" ? { flow: scheme } : ((scheme["flows"] ?? {}) as Record<string, Record<string, unknown>>);
    for (const flow of Object.values(flows)) {
      const scopes = (flow?.["scopes"] ?? {}) as Record<string, unknown>;
      for (const [name, description] of Object.entries(scopes)) {
        if (!declared.has(name)) declared.set(name, typeof description === "string" ? description : "");
      }
    }
  }
  return declared;
}
