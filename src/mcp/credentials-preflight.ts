/**
 * Upstream credentials for a tools/call, obtained before the MCP handler starts its response.
 *
 * Why: once the handler runs, the HTTP status is committed (200, possibly a stream), so a sign-in the identity
 * provider no longer accepts (RFC 8693 §2.2.2 `invalid_grant` on the exchange: revoked, expired, logged out) could
 * only become a tool error, which MCP clients show to the model instead of re-running their authorization flow.
 * Fetched here, the refusal becomes an HTTP 401 `invalid_token` challenge (RFC 6750 §3.1; MCP 2025-11-25
 * Authorization, "Token Handling") and the client signs the user in again.
 *
 * The credentials are memoised for the request, so the tool call reuses what the preflight obtained: one exchange,
 * whether or not the adapter caches. Another AuthError (identity provider down, misconfiguration) is left to the tool
 * call, which reports it as a tool error ("try again", or what the operator must fix). Anything else is a bug,
 * answered here as a 500 while that is still possible.
 */
import { AuthError, ReauthenticationRequired } from "../auth/errors.ts";
import type { Identity, UpstreamCredentials } from "../auth/types.ts";
import { effectiveScopes, missingScopes } from "../policy/policy.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { calledToolNames } from "./body.ts";

/** The same answer for the same tool and scopes within one request. */
export function memoizeCredentials(credentials: UpstreamCredentials): UpstreamCredentials {
  const answers = new Map<string, Promise<Record<string, string>>>();
  return {
    headersFor(tool, grantedScopes) {
      const key = `${tool.name}\n${[...grantedScopes].sort().join(" ")}`;
      let answer = answers.get(key);
      if (answer === undefined) {
        answer = credentials.headersFor(tool, grantedScopes);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}

/** What the preflight decided before the MCP response: sign in again (401), or a bug (500); the error says why. */
export type PreflightVerdict =
  | { readonly kind: "reauthenticate"; readonly error: ReauthenticationRequired }
  | { readonly kind: "internal"; readonly error: unknown };

/**
 * Obtains the credentials of every tool this request calls that the caller may call (the same scopes `callTool`
 * passes). A verdict when the identity provider refused the caller's sign-in for one of them, or when obtaining them
 * threw something that is not an AuthError; undefined otherwise.
 */
export async function preflightCredentials(
  body: unknown,
  tools: ReadonlyMap<string, ToolDefinition>,
  caller: { readonly identity: Identity; readonly credentials: UpstreamCredentials },
  policy: PolicyDefinition,
  /** Discovery mode's call tool: a call to it calls the operation named in its arguments. */
  callTool?: string,
): Promise<PreflightVerdict | undefined> {
  const called = calledToolNames(body, callTool);
  if (called.length === 0) return undefined;
  const held = effectiveScopes(caller.identity, policy);
  const { credentials } = caller;
  const pending: Promise<unknown>[] = [];
  for (const name of called) {
    const tool = tools.get(name);
    // Calls the policy refuses are answered by the step-up challenge or the protocol, without credentials.
    if (tool === undefined || missingScopes(tool.scopes, held).length > 0) continue;
    pending.push(credentials.headersFor(tool, tool.scopes.filter((scope) => held.has(scope))));
  }
  const failures = (await Promise.allSettled(pending)).flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
  const bugs = failures.filter((error) => !(error instanceof AuthError));
  if (bugs.length > 0) return { kind: "internal", error: bugs[0] };
  const refused = failures.find((error) => error instanceof ReauthenticationRequired);
  return refused ? { kind: "reauthenticate", error: refused } : undefined;
}
