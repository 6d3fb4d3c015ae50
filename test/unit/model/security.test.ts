import { describe, expect, it } from "vitest";
import { declaredScopes } from "../../../scripts/generator/model/scopes.ts";
import { securityFor, securitySchemes, type SchemeSecrets, type SecurityDecision } from "../../../scripts/generator/model/security.ts";
import type { SpecVersion } from "../../../scripts/generator/model/types.ts";
import type { SpecDocument } from "../../../scripts/generator/spec/load.ts";

const SCHEMES_3 = {
  oauth: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { read: "Read", write: "Write" } } } },
  oidc: { type: "openIdConnect", openIdConnectUrl: "https://a/.well-known/openid-configuration" },
  key: { type: "apiKey", in: "header", name: "X-Key" },
  query: { type: "apiKey", in: "query", name: "api_key" },
  basic: { type: "http", scheme: "Basic" },
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  digest: { type: "http", scheme: "digest" },
  mtls: { type: "mutualTLS" },
};

const SCHEMES_2 = {
  oauth: { type: "oauth2", flow: "accessCode", authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { "pets:read": "Read pets", "pets:write": "" } },
  key: { type: "apiKey", in: "header", name: "X-Key" },
  basic: { type: "basic" },
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
  /** bridge.yaml `upstream.schemes`. */
  secrets?: SchemeSecrets;
  /** bridge.yaml `api.binding` is set. */
  binding?: boolean;
}

const none = (mentioned: string[] = []): SecurityDecision => ({ scopes: [], credentials: [], mentioned });
const KEY_SECRET = { key: { valueEnv: "API_KEY" } };
const KEY_CREDENTIAL = { scheme: "key", type: "apiKey", in: "header", name: "X-Key", valueEnv: "API_KEY" } as const;

describe("securityFor", () => {
  it.each<[string, Given, SecurityDecision]>([
    ["operation requirement", { operation: [{ oauth: ["read", "write"] }] }, { scopes: ["read", "write"], credentials: [], mentioned: ["read", "write"] }],
    ["no security anywhere", {}, none()],
    ["falls back to the global requirement", { global: [{ oauth: ["read"] }] }, { scopes: ["read"], credentials: [], mentioned: ["read"] }],
    [
      "the operation's requirement replaces the global one",
      { global: [{ oauth: ["read"] }], operation: [{ oauth: ["write"] }] },
      { scopes: ["write"], credentials: [], mentioned: ["write"] },
    ],
    ["`security: []` on the operation removes the global requirement", { global: [{ oauth: ["read"] }], operation: [] }, none()],
    ["`{}` alone: security optional, no scopes", { operation: [{}] }, none()],
    ["`{}` among alternatives: optional, no scopes", { operation: [{ oauth: ["read"] }, {}] }, none(["read"])],
    ["global `{}` alternative applies when the operation has none", { global: [{}, { oauth: ["read"] }] }, none(["read"])],
    [
      "alternatives: the first OAuth one, with a note",
      { operation: [{ key: [] }, { oauth: ["write"] }, { oidc: ["openid"] }] },
      {
        scopes: ["write"],
        credentials: [],
        mentioned: ["write", "openid"],
        note: "security offers 3 alternatives; the bridge uses the first it can meet: oauth (write)",
      },
    ],
    [
      "an OAuth alternative wins over a configured key listed first",
      { operation: [{ key: [] }, { oauth: [] }], secrets: KEY_SECRET },
      { scopes: [], credentials: [], mentioned: [], note: "security offers 2 alternatives; the bridge uses the first it can meet: oauth (no scopes)" },
    ],
    ["HTTP bearer is met by the upstream token", { operation: [{ bearer: [] }] }, none()],
    ["schemes required together: scopes of both OAuth/OIDC schemes", { operation: [{ oauth: ["read"], oidc: ["profile"] }] }, { scopes: ["read", "profile"], credentials: [], mentioned: ["read", "profile"] }],
    ["duplicates removed", { operation: [{ oauth: ["read", "read"], oidc: ["read"] }] }, { scopes: ["read"], credentials: [], mentioned: ["read"] }],
    ["an API key with its secret configured", { operation: [{ key: [] }], secrets: KEY_SECRET }, { scopes: [], credentials: [KEY_CREDENTIAL], mentioned: [] }],
    [
      "OAuth and an API key together",
      { operation: [{ oauth: ["read"], key: [] }], secrets: KEY_SECRET },
      { scopes: ["read"], credentials: [KEY_CREDENTIAL], mentioned: ["read"] },
    ],
    [
      "HTTP basic (scheme name case-insensitive) with its secrets",
      { operation: [{ basic: [] }], secrets: { basic: { usernameEnv: "U", passwordEnv: "P" } } },
      { scopes: [], credentials: [{ scheme: "basic", type: "basic", usernameEnv: "U", passwordEnv: "P" }], mentioned: [] },
    ],
    ["mutual TLS through api.binding", { operation: [{ mtls: [] }], binding: true }, none()],
    [
      "an API key without its secret: unmet, saying what is missing",
      { operation: [{ key: [] }] },
      { ...none(), unmet: ["key (API key in header X-Key: needs upstream.schemes.key.valueEnv)"] },
    ],
    [
      "every alternative unmet",
      { operation: [{ basic: [] }, { digest: [] }, { mtls: [] }, { nowhere: [] }] },
      {
        ...none(),
        unmet: [
          "basic (HTTP basic: needs upstream.schemes.basic.usernameEnv and passwordEnv)",
          "digest (HTTP digest: the bridge cannot send it)",
          "mtls (mutual TLS: needs api.binding naming an mtls_certificates binding)",
          "nowhere (not a declared security scheme)",
        ],
      },
    ],
    [
      "OAuth with an unmet key in the same requirement: unmet",
      { operation: [{ oauth: ["read"], query: [] }] },
      { ...none(["read"]), unmet: ["oauth (read) + query (API key in query api_key: needs upstream.schemes.query.valueEnv)"] },
    ],
    ["2.0: securityDefinitions oauth2", { version: "2.0", operation: [{ oauth: ["pets:read"] }] }, { scopes: ["pets:read"], credentials: [], mentioned: ["pets:read"] }],
    ["2.0: global fallback", { version: "2.0", global: [{ oauth: ["pets:write"] }] }, { scopes: ["pets:write"], credentials: [], mentioned: ["pets:write"] }],
    ["2.0: apiKey only, unmet", { version: "2.0", operation: [{ key: [] }] }, { ...none(), unmet: ["key (API key in header X-Key: needs upstream.schemes.key.valueEnv)"] }],
    [
      "2.0: type basic",
      { version: "2.0", operation: [{ basic: [] }], secrets: { basic: { usernameEnv: "U", passwordEnv: "P" } } },
      { scopes: [], credentials: [{ scheme: "basic", type: "basic", usernameEnv: "U", passwordEnv: "P" }], mentioned: [] },
    ],
  ])("%s", (_name, given, want) => {
    const version = given.version ?? "3.1";
    const doc = document(version, given.global);
    const operation = given.operation === undefined ? {} : { security: given.operation };
    expect(securityFor(doc, operation, securitySchemes(doc, version), given.secrets ?? {}, given.binding ?? false)).toEqual(want);
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
