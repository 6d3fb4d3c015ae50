/**
 * A fixed-identity bridge Worker for the MCP conformance suite (test/conformance/conformance.test.ts).
 *
 * TEST CONFIGURATION ONLY. The conformance suite's server scenarios have no authorization scenarios (its client can
 * not sign in), so this Worker puts the real runtime (`createBridge`) with the real generated Todo API tools, policy
 * and config behind an `AuthAdapter` that accepts every request as one fixed identity holding both Todo scopes.
 * Authentication (401 challenges, RFC 9728 metadata, 403 step-up, token validation) is covered by the runtime and
 * e2e suites, never by this Worker; it must never be deployed.
 *
 * Upstream credentials are what a token exchange would return: a new short-lived JWT per call (aud = the Todo API,
 * scope = the scopes granted for the tool, sub = the fixed identity), signed with SIGNING_KEY, which the Todo API
 * under test trusts. The Todo API's base URL comes from TODO_API_BASE_URL (generated/config.ts `api.baseUrlEnv`).
 */
import { importJWK, SignJWT, type JWK } from "jose";
import { config } from "../../generated/config.ts";
import { policy } from "../../generated/policy.ts";
import { tools } from "../../generated/tools.ts";
import type { AuthAdapter, Identity } from "../../src/auth/types.ts";
import { createBridge, type Bridge } from "../../src/bridge.ts";
import { exchangeTarget } from "../runtime/test-auth.ts";

type Env = Record<string, unknown>;

/** The one caller every request is taken to be: it holds every scope of the policy (both Todo scopes). */
export const FIXED_IDENTITY: Identity = {
  subject: "conformance-test-user",
  scopes: policy.scopes.map((scope) => scope.name),
  claims: { sub: "conformance-test-user", client_id: "mcp-conformance" },
};

function fixedIdentityAdapter(env: Env): AuthAdapter {
  const issuer = required(env, "ISSUER");
  const signingKey = JSON.parse(required(env, "SIGNING_KEY")) as JWK;
  let key: ReturnType<typeof importJWK> | undefined;
  const mint = async (granted: readonly string[]): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    key ??= importJWK(signingKey, "RS256");
    return new SignJWT({ scope: granted.join(" "), act: { sub: "mcp-bridge-conformance" } })
      .setProtectedHeader({ alg: "RS256", kid: signingKey.kid ?? "test", typ: "at+jwt" })
      .setIssuer(issuer)
      .setAudience(exchangeTarget(config).upstreamAudience)
      .setSubject(FIXED_IDENTITY.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti(crypto.randomUUID())
      .sign(await key);
  };
  return {
    // No credentials are asked for or looked at: see the comment at the top of this file.
    async authenticate() {
      return {
        ok: true,
        identity: FIXED_IDENTITY,
        credentials: { headersFor: async (_tool, granted) => ({ authorization: `Bearer ${await mint(granted)}` }) },
      };
    },
  };
}

let bridge: Bridge | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    bridge ??= createBridge({ config, tools, policy, adapter: fixedIdentityAdapter(env), log: () => {} });
    return bridge.fetch(request, env);
  },
};

function required(env: Env, name: string): string {
  const value = env[name];
  if (typeof value !== "string" || value === "") throw new Error(`the conformance bridge needs the var ${name}`);
  return value;
}
