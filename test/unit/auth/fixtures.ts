/** Shared helpers of the auth unit tests: resolved options for the double, tool stubs, challenge strings. */
import type { AuthConfig } from "../../../src/auth/index.ts";
import type { PingFederateOptions } from "../../../src/auth/pingfederate.ts";
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import type { ToolDefinition } from "../../../src/tools/types.ts";

export const RESOURCE = "http://127.0.0.1:8788/mcp";
export const API = "http://127.0.0.1:8787";
export const SCOPES = ["todo_api:read", "todo_api:write"] as const;
export const PRM_URL = "http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp";
export const ENV = { PF_CLIENT_ID: "bridge-client", PF_CLIENT_SECRET: "bridge-secret" };

/** The API's scopes as generated/policy.ts lists them (the adapters' `scopes` dependency). */
export const API_SCOPES = SCOPES.map((name) => ({ name }));
/** The bridge's client at the IdP, as bridge.yaml names it (values in ENV). */
export const CLIENT_ENV = { idEnv: "PF_CLIENT_ID", secretEnv: "PF_CLIENT_SECRET" } as const;

/** What the generator resolves from the sample bridge.yaml for PingFederate at `issuer`, with `overrides`. */
export function pingFederateOptions(issuer: string, overrides: Partial<PingFederateOptions> = {}): PingFederateOptions {
  return {
    issuer,
    resource: RESOURCE,
    resourceName: "Todo API",
    tokenValidation: { method: "jwt", algorithms: ["RS256", "ES256", "PS256"], tokenType: "any" },
    credentials: { kind: "token-exchange", client: CLIENT_ENV, audience: API },
    ...overrides,
  };
}

/** A whole runtime config for `createBridge`: the sample API with the given adapter. */
export function bridgeConfig(auth: AuthConfig): RuntimeConfig {
  return { api: { name: "todo", title: "Todo API", version: "1.0.0", timeoutMs: 30_000, maxResponseBytes: 1_048_576, baseUrl: API }, auth };
}

export function tool(name: string, scopes: readonly string[]): ToolDefinition {
  return { name, scopes } as unknown as ToolDefinition;
}

export function mcpRequest(authorization?: string): Request {
  return new Request(RESOURCE, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: "{}",
  });
}

export const NO_TOKEN_CHALLENGE = `Bearer resource_metadata="${PRM_URL}", scope="todo_api:read todo_api:write"`;
export const INVALID_TOKEN_CHALLENGE =
  `Bearer error="invalid_token", error_description="The access token is invalid or expired", ` +
  `resource_metadata="${PRM_URL}", scope="todo_api:read todo_api:write"`;

/** RFC 6749 §2.3.1 client_secret_basic: base64 of form-urlencoded id ":" secret (oauth4webapi also escapes "-"). */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic (.+)$/.exec(header ?? "");
  if (!match) return undefined;
  const [id, secret] = atob(match[1]!).split(":").map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
  return { id: id!, secret: secret! };
}
