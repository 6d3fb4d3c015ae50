/** PingFederate adapter, `tokenValidation: introspection` (RFC 7662 for reference tokens), against the AS double. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import type { AuthAdapter } from "../../../src/auth/types.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { startAsDouble, type AsDouble } from "./as-double.ts";
import { API, API_SCOPES, basicCredentials, CLIENT_ENV, ENV, INVALID_TOKEN_CHALLENGE, mcpRequest, pingFederateOptions, RESOURCE } from "./fixtures.ts";

let as: AsDouble;
let adapter: AuthAdapter;
const clock = new ManualClock(Date.now());
const seconds = () => Math.floor(clock.now() / 1000);

beforeAll(async () => {
  as = await startAsDouble();
  adapter = createPingFederateAdapter(pingFederateOptions(as.issuer, { tokenValidation: { method: "introspection", client: CLIENT_ENV } }), {
    scopes: API_SCOPES,
    clock,
  });
});
afterAll(() => as.close());

function active(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { active: true, iss: as.issuer, aud: RESOURCE, sub: "demo", scope: "todo_api:read", exp: seconds() + 600, client_id: "mcp-client-1", ...extra };
}

describe("RFC 7662 introspection", () => {
  it("accepts an active token for this resource, with the bridge's client credentials, and caches the result", async () => {
    as.introspection.set("ref-good", active({ email: "demo@example.com" }));
    const outcome = await adapter.authenticate(mcpRequest("Bearer ref-good"), ENV);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.identity).toStrictEqual({
      subject: "demo",
      scopes: ["todo_api:read"],
      claims: { email: "demo@example.com", client_id: "mcp-client-1" },
    });
    expect(as.introspections).toHaveLength(1);
    expect(as.introspections[0]!.form.get("token")).toBe("ref-good");
    expect(basicCredentials(as.introspections[0]!.authorization)).toStrictEqual({ id: "bridge-client", secret: "bridge-secret" });
    expect((await adapter.authenticate(mcpRequest("Bearer ref-good"), ENV)).ok).toBe(true);
    expect(as.introspections).toHaveLength(1);
    await clock.advance(31_000);
    expect((await adapter.authenticate(mcpRequest("Bearer ref-good"), ENV)).ok).toBe(true);
    expect(as.introspections).toHaveLength(2);
  });

  it("rejects an inactive token with invalid_token", async () => {
    const outcome = await adapter.authenticate(mcpRequest("Bearer ref-unknown"), ENV);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers.get("www-authenticate")).toBe(INVALID_TOKEN_CHALLENGE);
  });

  it("rejects an active token for another audience or issuer, or expired", async () => {
    as.introspection.set("ref-api", active({ aud: API }));
    as.introspection.set("ref-noaud", active({ aud: undefined }));
    as.introspection.set("ref-iss", active({ iss: "http://127.0.0.1:1" }));
    as.introspection.set("ref-exp", active({ exp: seconds() - 60 }));
    for (const token of ["ref-api", "ref-noaud", "ref-iss", "ref-exp"]) {
      const outcome = await adapter.authenticate(mcpRequest(`Bearer ${token}`), ENV);
      expect(!outcome.ok && outcome.response.status).toBe(401);
    }
  });
});
