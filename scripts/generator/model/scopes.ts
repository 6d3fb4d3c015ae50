/**
 * The scopes a spec declares: every OAuth 2 flow's `scopes` map (OpenAPI 3 `components.securitySchemes.*.flows`,
 * Swagger 2.0 `securityDefinitions.*.scopes`). Which scopes an operation requires is model/security.ts.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#oauth-flow-object
 */
import type { SpecDocument } from "../spec/load.ts";
import type { SpecVersion } from "./types.ts";

type Schemes = Record<string, Record<string, unknown> | undefined>;

/** The spec's security schemes, unread. */
export function rawSchemes(document: SpecDocument, version: SpecVersion): Schemes {
  if (version === "2.0") return (document["securityDefinitions"] ?? {}) as Schemes;
  const components = (document["components"] ?? {}) as Record<string, unknown>;
  return (components["securitySchemes"] ?? {}) as Schemes;
}

/** Every scope the spec declares, with its description, in document order. */
export function declaredScopes(document: SpecDocument, version: SpecVersion): Map<string, string> {
  const declared = new Map<string, string>();
  for (const scheme of Object.values(rawSchemes(document, version))) {
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
