import { describe, expect, it } from "vitest";
import { adapterFor } from "../../../src/auth/index.ts";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import { resourceMetadataPath } from "../../../src/auth/resource-metadata.ts";
import { ENV, pingFederateOptions, RESOURCE, SCOPES } from "./fixtures.ts";

// No network: serving the metadata and creating the adapter never contact the identity provider.
const ISSUER = "http://127.0.0.1:9031";

describe("RFC 9728 protected resource metadata", () => {
  const adapter = createPingFederateAdapter(pingFederateOptions(ISSUER), {
    scopes: [...SCOPES, "offline_access"].map((name) => ({ name })),
  });
  const expected = {
    resource: RESOURCE,
    authorization_servers: [ISSUER],
    scopes_supported: ["todo_api:read", "todo_api:write"],
    bearer_methods_supported: ["header"],
    resource_name: "Todo API",
  };

  for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
    it(`serves ${path} with CORS * and no offline_access`, async () => {
      const response = await adapter.handle!(new Request(`http://127.0.0.1:8788${path}`), ENV);
      expect(response?.status).toBe(200);
      expect(response?.headers.get("access-control-allow-origin")).toBe("*");
      expect(response?.headers.get("content-type")).toBe("application/json");
      expect(await response?.json()).toStrictEqual(expected);
    });
  }

  it("answers CORS preflight and refuses other methods", async () => {
    const preflight = await adapter.handle!(new Request("http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp", { method: "OPTIONS" }), ENV);
    expect(preflight?.status).toBe(204);
    expect(preflight?.headers.get("access-control-allow-origin")).toBe("*");
    const post = await adapter.handle!(new Request("http://127.0.0.1:8788/.well-known/oauth-protected-resource", { method: "POST" }), ENV);
    expect(post?.status).toBe(405);
  });

  it("leaves other paths, including the AS metadata, to the bridge", async () => {
    for (const path of ["/mcp", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/.well-known/oauth-protected-resource/other"]) {
      expect(await adapter.handle!(new Request(`http://127.0.0.1:8788${path}`), ENV)).toBeUndefined();
    }
  });

  it("inserts the well-known segment before the resource path (RFC 9728 §3.1)", () => {
    expect(resourceMetadataPath("https://b.example/mcp")).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(resourceMetadataPath("https://b.example/")).toBe("/.well-known/oauth-protected-resource");
    expect(resourceMetadataPath("https://b.example/tenant/mcp/")).toBe("/.well-known/oauth-protected-resource/tenant/mcp");
  });
});

describe("adapterFor", () => {
  it("builds the PingFederate adapter from its resolved options and the policy's scopes", async () => {
    const scopes = SCOPES.map((name) => ({ name, description: name }));
    const adapter = adapterFor({ adapter: "pingfederate", options: pingFederateOptions(ISSUER) }, { scopes });
    const response = await adapter.handle!(new Request("http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp"), ENV);
    expect(((await response?.json()) as { scopes_supported: unknown }).scopes_supported).toStrictEqual([...SCOPES]);
  });
});
