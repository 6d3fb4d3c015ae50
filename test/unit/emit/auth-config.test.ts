/**
 * bridge.yaml's identity and upstream → the resolved options of the one adapter they choose (generated/config.ts
 * `auth`): defaults and derivations made at generate time, and the combinations no adapter can express reported with
 * their place in bridge.yaml.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../../scripts/generator/config/load.ts";
import { ACCESS_SAAS_LOGIN_SCOPES, resolveAuth, UnresolvableAuth } from "../../../scripts/generator/emit/auth-config.ts";
import { generate } from "../../../scripts/generator/index.ts";

const API = ["api:", "  name: todo", "  spec: openapi/todo-api.yaml", "  baseUrl: http://127.0.0.1:8787"];
const CLIENT = { idEnv: "CLIENT_ID", secretEnv: "CLIENT_SECRET" };

/** bridge.yaml with the given identity and upstream sections (YAML flow mappings). */
function resolved(identity: string, upstream: string) {
  const { config } = parseConfigText([...API, `identity: ${identity}`, `upstream: ${upstream}`, ""].join("\n"), "bridge.yaml");
  return resolveAuth(config, "Todo API");
}

function problems(identity: string, upstream: string): { at: readonly (string | number)[]; message: string }[] {
  try {
    resolved(identity, upstream);
  } catch (error) {
    if (error instanceof UnresolvableAuth) return error.problems.map((p) => ({ at: p.at, message: p.message }));
    throw error;
  }
  throw new Error("resolved without problems");
}

const PF = "{ provider: pingfederate, issuer: https://sso.example.com, resource: https://mcp.example.com/mcp";
const PF_CLIENT = `client: { idEnv: ${CLIENT.idEnv}, secretEnv: ${CLIENT.secretEnv} }`;

describe("pingfederate", () => {
  it("JWT validation with the default algorithms, and token exchange as the bridge's client", () => {
    expect(resolved(`${PF}, ${PF_CLIENT} }`, "{ credentials: token-exchange, audience: https://api.example.com }")).toStrictEqual({
      adapter: "pingfederate",
      options: {
        issuer: "https://sso.example.com",
        resource: "https://mcp.example.com/mcp",
        resourceName: "Todo API",
        tokenValidation: { method: "jwt", algorithms: ["RS256", "ES256", "PS256"], tokenType: "any" },
        credentials: { kind: "token-exchange", client: CLIENT, audience: "https://api.example.com" },
      },
    });
  });

  it("introspection and explicit endpoints go to the part that uses them; credentials none needs no client", () => {
    const auth = resolved(
      `${PF}, ${PF_CLIENT}, tokenValidation: introspection, introspectionEndpoint: https://sso.example.com/i, tokenEndpoint: https://sso.example.com/t }`,
      "{ credentials: none }",
    );
    expect(auth.adapter === "pingfederate" && auth.options.tokenValidation).toStrictEqual({
      method: "introspection",
      client: CLIENT,
      endpoint: "https://sso.example.com/i",
    });
    expect(auth.adapter === "pingfederate" && auth.options.credentials).toStrictEqual({ kind: "none" });
    expect(resolved(`${PF} }`, "{ credentials: none }").adapter).toBe("pingfederate");
  });

  it("identity.tokenType: at+jwt is passed on; any is the default; with introspection it is refused at its place", () => {
    const jwt = (identity: string) => {
      const auth = resolved(identity, "{ credentials: none }");
      return auth.adapter === "pingfederate" && auth.options.tokenValidation;
    };
    expect(jwt(`${PF}, tokenType: at+jwt }`)).toMatchObject({ method: "jwt", tokenType: "at+jwt" });
    expect(jwt(`${PF} }`)).toMatchObject({ method: "jwt", tokenType: "any" });
    expect(problems(`${PF}, ${PF_CLIENT}, tokenValidation: introspection, tokenType: at+jwt }`, "{ credentials: none }")).toStrictEqual([
      { at: ["identity", "tokenType"], message: "identity.tokenType applies to JWT access tokens: it needs identity.tokenValidation: jwt" },
    ]);
  });

  it("reports what the options cannot express: no client for exchange or introspection, credentials it cannot give", () => {
    expect(problems(`${PF}, tokenValidation: introspection }`, "{ credentials: token-exchange, audience: x }")).toStrictEqual([
      { at: ["identity", "client"], message: "identity.tokenValidation: introspection needs identity.client (the bridge's confidential client)" },
      { at: ["identity", "client"], message: "upstream.credentials: token-exchange needs identity.client (the bridge's confidential client)" },
    ]);
    expect(problems(`${PF}, ${PF_CLIENT} }`, "{ credentials: upstream-token }")).toStrictEqual([
      {
        at: ["upstream", "credentials"],
        message: "upstream.credentials: upstream-token is not available with identity.provider: pingfederate (use token-exchange or none)",
      },
    ]);
  });
});

describe("access, self-hosted", () => {
  const ACCESS = "{ provider: access, mode: self-hosted, teamDomain: https://team.cloudflareaccess.com/, aud: aud-tag, resource: https://mcp.example.com/mcp }";

  it("the team's origin is the exact issuer (no trailing slash), with its certs URL", () => {
    expect(resolved(ACCESS, "{ credentials: access-linked-app }")).toStrictEqual({
      adapter: "access",
      options: {
        issuer: "https://team.cloudflareaccess.com",
        certsUrl: "https://team.cloudflareaccess.com/cdn-cgi/access/certs",
        aud: "aud-tag",
        resource: "https://mcp.example.com/mcp",
        credentials: "access-linked-app",
      },
    });
  });

  it("reports a missing AUD tag and credentials Access cannot give", () => {
    expect(problems(ACCESS.replace("aud: aud-tag, ", ""), "{ credentials: token-exchange }").map((p) => p.at)).toStrictEqual([
      ["identity", "aud"],
      ["upstream", "credentials"],
    ]);
  });
});

describe("access, saas", () => {
  const SAAS = `{ provider: access, mode: saas, teamDomain: https://team.cloudflareaccess.com, resource: https://mcp.example.com/mcp, client: { idEnv: ${CLIENT.idEnv}, secretEnv: ${CLIENT.secretEnv} } }`;

  it("the OAuth server, with Access's issuer (followed by the client id), endpoints and OIDC scopes; no API scopes, no resource", () => {
    expect(resolved(SAAS, "{ credentials: upstream-token, resource: https://api.example.com }")).toStrictEqual({
      adapter: "oauth-server",
      options: {
        resource: "https://mcp.example.com/mcp",
        resourceName: "Todo API",
        client: CLIENT,
        provider: {
          issuer: "https://team.cloudflareaccess.com/cdn-cgi/access/sso/oidc",
          issuerEndsWithClientId: true,
          endpoints: { authorization: "/authorization", token: "/token" },
          loginScopes: ACCESS_SAAS_LOGIN_SCOPES,
          issuesApiScopes: false,
        },
        credentials: "upstream-token",
        clientIdMetadataDocuments: false,
      },
    });
  });

  it("reports a missing client", () => {
    expect(problems(SAAS.replace(/, client: \{[^}]*\}/, ""), "{ credentials: none }").map((p) => p.at)).toStrictEqual([["identity", "client"]]);
  });
});

describe("pingone", () => {
  const ENV_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  const pingone = (issuer: string) =>
    `{ provider: pingone, issuer: ${issuer}, resource: https://mcp.example.com/mcp, client: { idEnv: ${CLIENT.idEnv}, secretEnv: ${CLIENT.secretEnv} }, acrValues: policy-1, clientIdMetadataDocuments: true }`;

  it("PingOne's issuer shape gives its endpoints; the API is the RFC 8707 resource; PingOne issues the API scopes", () => {
    const issuer = `https://auth.pingone.eu/${ENV_ID}/as`;
    expect(resolved(pingone(issuer), "{ credentials: upstream-token, resource: https://api.example.com }")).toStrictEqual({
      adapter: "oauth-server",
      options: {
        resource: "https://mcp.example.com/mcp",
        resourceName: "Todo API",
        client: CLIENT,
        provider: {
          issuer,
          endpoints: { authorization: "/authorize", token: "/token" },
          loginScopes: ["openid", "profile", "email", "offline_access"],
          acrValues: "policy-1",
          resource: "https://api.example.com",
          issuesApiScopes: true,
        },
        credentials: "upstream-token",
        clientIdMetadataDocuments: true,
      },
    });
  });

  it("another issuer (a custom domain) is left to discovery", () => {
    const auth = resolved(pingone("https://login.example.com/as"), "{ credentials: none }");
    expect(auth.adapter === "oauth-server" && auth.options.provider).not.toHaveProperty("endpoints");
  });

  it("reports credentials the OAuth server cannot give", () => {
    expect(problems(pingone(`https://auth.pingone.com/${ENV_ID}/as`), "{ credentials: access-linked-app }")).toStrictEqual([
      {
        at: ["upstream", "credentials"],
        message: "upstream.credentials: access-linked-app is not available with identity.provider: pingone (use upstream-token or none)",
      },
    ]);
  });
});

describe("through generate()", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "auth-config-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("an unresolvable combination fails generate with bridge.yaml:LINE:COL", async () => {
    const configPath = join(dir, "bridge.yaml");
    const spec = resolve("openapi/todo-api.yaml");
    await writeFile(
      configPath,
      [
        "api:",
        "  name: todo",
        `  spec: ${spec}`,
        "  baseUrl: http://127.0.0.1:8787",
        "identity:",
        "  provider: pingfederate",
        "  issuer: http://127.0.0.1:9031",
        "  resource: http://127.0.0.1:8788/mcp",
        "upstream:",
        "  credentials: upstream-token",
        "",
      ].join("\n"),
    );
    await expect(generate({ configPath, outDir: join(dir, "generated") })).rejects.toThrow(
      `${configPath}:10:16: upstream.credentials: upstream-token is not available with identity.provider: pingfederate (use token-exchange, or none for an API that needs no credentials)`,
    );
  });

  it("a tokenType that is not a JWT type fails generate with its place and the valid values", async () => {
    const configPath = join(dir, "bridge.yaml");
    await writeFile(
      configPath,
      [
        "api:",
        "  name: todo",
        `  spec: ${resolve("openapi/todo-api.yaml")}`,
        "identity:",
        "  provider: pingfederate",
        "  issuer: http://127.0.0.1:9031",
        "  resource: http://127.0.0.1:8788/mcp",
        "  tokenType: JWT",
        "upstream:",
        "  credentials: none",
        "",
      ].join("\n"),
    );
    await expect(generate({ configPath, outDir: join(dir, "generated") })).rejects.toThrow(
      `${configPath}:8:14: identity.tokenType: "JWT" is not valid; expected one of any, at+jwt`,
    );
  });
});
