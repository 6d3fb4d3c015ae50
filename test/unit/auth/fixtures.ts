/** Shared helpers of the auth unit tests: a RuntimeConfig for the double, tool stubs, challenge strings. */
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import type { ToolDefinition } from "../../../src/tools/types.ts";

export const RESOURCE = "http://127.0.0.1:8788/mcp";
export const API = "http://127.0.0.1:8787";
export const SCOPES = ["todo_api:read", "todo_api:write"] as const;
export const PRM_URL = "http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp";
export const ENV = { PF_CLIENT_ID: "bridge-client", PF_CLIENT_SECRET: "bridge-secret" };

type PingFederate = Extract<RuntimeConfig["identity"], { provider: "pingfederate" }>;

export function runtimeConfig(
  issuer: string,
  identity: Partial<PingFederate> = {},
  upstream: Partial<RuntimeConfig["upstream"]> = {},
): RuntimeConfig {
  return {
    api: { name: "todo", title: "Todo API", version: "1.0.0", timeoutMs: 30_000, maxResponseBytes: 1_048_576, baseUrl: API },
    identity: {
      provider: "pingfederate",
      issuer,
      resource: RESOURCE,
      client: { idEnv: "PF_CLIENT_ID", secretEnv: "PF_CLIENT_SECRET" },
      tokenValidation: "jwt",
      algorithms: ["RS256", "ES256", "PS256"],
      ...identity,
    },
    upstream: { credentials: "token-exchange", audience: API, ...upstream },
  };
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
