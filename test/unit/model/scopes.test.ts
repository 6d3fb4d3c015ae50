import { describe, expect, it } from "vitest";
import { declaredScopes, scopesFor, type ScopeDecision } from "../../../scripts/generator/model/scopes.ts";
import type { SpecVersion } from "../../../scripts/generator/model/types.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

const SCHEMES_3 = {
  oauth: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { read: "Read", write: "Write" } } } },
  oidc: { type: "openIdConnect", openIdConnectUrl: "https://a/.well-known/openid-configuration" },
  key: { type: "apiKey", in: "header", name: "X-Key" },
  basic: { type: "http", scheme: "basic" },
};

const SCHEMES_2 = {
  oauth: { type: "oauth2", flow: "accessCode", authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { "pets:read": "Read pets", "pets:write": "" } },
  key: { type: "apiKey", in: "header", name: "X-Key" },
};

function document(version: SpecVersion, global?: unknown): SpecDocument {
  const base: SpecDocument =
    version === "2.0" ? { swagger: "2.0", securityDefinitions: SCHEMES_2 } : { openapi: "3.1.0", components: { securitySchemes: SCHEMES_3 } };
  return global === undefined ? base : { ...base, security: global };
}

interface Given {
  version?: SpecVersion;
  /** Top-level `security`. */
  global?: unknown;
  /** The operation's `security` (absent when undefined). */
  operation?: unknown;
}

describe("scopesFor", () => {
  it.each<[string, Given, ScopeDecision]>([
    ["operation requirement", { operation: [{ oauth: ["read", "write"] }] }, { scopes: ["read", "write"] }],
    ["no security anywhere", {}, { scopes: [] }],
    ["falls back to the global requirement", { global: [{ oauth: ["read"] }] }, { scopes: ["read"] }],
    ["the operation's requirement replaces the global one", { global: [{ oauth: ["read"] }], operation: [{ oauth: ["write"] }] }, { scopes: ["write"] }],
    ["`security: []` on the operation removes the global requirement", { global: [{ oauth: ["read"] }], operation: [] }, { scopes: [] }],
    ["`{}` alone: security optional, no scopes", { operation: [{}] }, { scopes: [] }],
    ["`{}` among alternatives: optional, no scopes", { operation: [{ oauth: ["read"] }, {}] }, { scopes: [] }],
    ["global `{}` alternative applies when the operation has none", { global: [{}, { oauth: ["read"] }] }, { scopes: [] }],
    ["only non-OAuth schemes: no scopes", { operation: [{ key: [] }, { basic: [] }] }, { scopes: [] }],
    [
      "alternatives: the first OAuth one, with a note",
      { operation: [{ key: [] }, { oauth: ["write"] }, { oidc: ["openid"] }] },
      { scopes: ["write"], note: "security offers 3 alternatives; the bridge requires the first OAuth one: write" },
    ],
    [
      "alternatives without scopes say so in the note",
      { operation: [{ oauth: [] }, { key: [] }] },
      { scopes: [], note: "security offers 2 alternatives; the bridge requires the first OAuth one: (no scopes)" },
    ],
    ["schemes required together: scopes of both OAuth/OIDC schemes, non-OAuth ignored", { operation: [{ oauth: ["read"], oidc: ["profile"], key: [] }] }, { scopes: ["read", "profile"] }],
    ["duplicates removed", { operation: [{ oauth: ["read", "read"], oidc: ["read"] }] }, { scopes: ["read"] }],
    ["an undeclared scheme has no scopes", { operation: [{ nowhere: ["read"] }] }, { scopes: [] }],
    ["2.0: securityDefinitions oauth2", { version: "2.0", operation: [{ oauth: ["pets:read"] }] }, { scopes: ["pets:read"] }],
    ["2.0: global fallback", { version: "2.0", global: [{ oauth: ["pets:write"] }] }, { scopes: ["pets:write"] }],
    ["2.0: apiKey only", { version: "2.0", operation: [{ key: [] }] }, { scopes: [] }],
  ])("%s", (_name, given, want) => {
    const version = given.version ?? "3.1";
    const operation = given.operation === undefined ? {} : { security: given.operation };
    expect(scopesFor(document(version, given.global), version, operation)).toEqual(want);
  });
});

describe("declaredScopes", () => {
  it.each<[string, SpecVersion, SpecDocument, [string, string][]]>([
    ["3.x: every flow of every scheme, first description wins", "3.1", {
      components: {
        securitySchemes: {
          a: { type: "oauth2", flows: { implicit: { scopes: { read: "Read", write: "Write" } }, clientCredentials: { scopes: { read: "Other", admin: "Admin" } } } },
          b: { type: "apiKey" },
          c: { type: "oauth2", flows: { password: { scopes: { extra: 3 } } } },
        },
      },
    }, [["read", "Read"], ["write", "Write"], ["admin", "Admin"], ["extra", ""]]],
    ["2.0: securityDefinitions scopes", "2.0", { securityDefinitions: SCHEMES_2 }, [["pets:read", "Read pets"], ["pets:write", ""]]],
    ["none declared", "3.0", {}, []],
  ])("%s", (_name, version, doc, want) => {
    expect([...declaredScopes(doc, version)]).toEqual(want);
  });
});
