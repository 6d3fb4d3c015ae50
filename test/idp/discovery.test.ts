import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdentityProvider, type RunningIdentityProvider } from "../../scripts/idp/server.ts";

let idp: RunningIdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
});
afterAll(() => idp.close());

describe("discovery", () => {
  it("binds a free port and puts it in the issuer", () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.issuer).not.toBe("http://127.0.0.1:0");
    expect(idp.url).toBe(idp.issuer);
  });

  for (const wellKnown of ["openid-configuration", "oauth-authorization-server"]) {
    it(`serves PingFederate's endpoint paths at /.well-known/${wellKnown}`, async () => {
      const response = await fetch(`${idp.issuer}/.well-known/${wellKnown}`);
      expect(response.status).toBe(200);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: idp.issuer,
        authorization_endpoint: `${idp.issuer}/as/authorization.oauth2`,
        token_endpoint: `${idp.issuer}/as/token.oauth2`,
        registration_endpoint: `${idp.issuer}/as/clients.oauth2`,
        introspection_endpoint: `${idp.issuer}/as/introspect.oauth2`,
        revocation_endpoint: `${idp.issuer}/as/revoke_token.oauth2`,
        jwks_uri: `${idp.issuer}/pf/JWKS`,
        userinfo_endpoint: `${idp.issuer}/idp/userinfo.openid`,
        code_challenge_methods_supported: ["S256"],
        response_types_supported: ["code"],
      });
      expect(metadata["scopes_supported"]).toEqual(
        expect.arrayContaining(["openid", "profile", "email", "offline_access", "todo_api:read", "todo_api:write"]),
      );
      expect(metadata["grant_types_supported"]).toEqual(
        expect.arrayContaining(["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"]),
      );
      expect(metadata["grant_types_supported"]).not.toContain("implicit");
    });
  }

  it("publishes a public RS256 key at /pf/JWKS", async () => {
    const { keys } = (await (await fetch(`${idp.issuer}/pf/JWKS`)).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });
});
