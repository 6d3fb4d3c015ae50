/**
 * Refresh-token reuse detection around the bridge's token endpoint (workers-oauth-provider), RFC 9700 §4.14.2: "If
 * a refresh token is compromised and subsequently used by both the attacker and the legitimate client, one of them
 * will present an invalidated refresh token, which will inform the authorization server of the breach", which then
 * revokes the grant.
 *
 * Why here: workers-oauth-provider 1.2 rotates refresh tokens but keeps the previous one valid until its successor is
 * used, with no time limit and no count, and every use of it rotates again, so a stolen RT1 keeps minting tokens
 * after RT1 → RT2 (each replay silently invalidating the legitimate client's RT2). It has no option to change that.
 *
 * What this adds, per grant, in OAUTH_KV beside the library's records (`refresh-history:<userId>:<grantId>`, hashes
 * only): the current refresh token, the one it replaced, and every earlier one it has seen retired.
 *   - the current token: passed on (the library rotates it);
 *   - the token just replaced, once, within GRACE_MS of its rotation: passed on (a client that lost the response to
 *     its refresh retries with it; RFC 9700 §4.14.2 allows this), and the successor it never received is retired;
 *   - that token again, or later, or any retired token: reuse. The grant is revoked (every access and refresh token
 *     of it) and the answer is `invalid_grant` (RFC 6749 §5.2), so both parties must sign in again.
 *   - a token it has no history for (a grant from before this guard, or one it never saw): passed on unchanged.
 * The record is updated from the library's successful answer, so only refreshes that really happened count.
 *
 * Not atomic (KV is not): two refreshes with the same token at the same instant may both pass, as they may in the
 * library itself. The check runs before the library authenticates the client: a party holding a retired token can end
 * the grant, which is the RFC's answer to a leaked refresh token.
 */
import type { Clock } from "../clock.ts";
import { failureFields, type Log } from "../log.ts";
import { AuthRefusal } from "./errors.ts";
import { sha256 } from "./hash.ts";

/** How long after a rotation the replaced token may still be used, once, for a lost response. */
export const GRACE_MS = 30_000;
/** Retired tokens remembered per grant (the oldest go first; an older one is simply unknown to the library too). */
const MAX_RETIRED = 32;
/** workers-oauth-provider's default refresh token lifetime (30 days): the history lives no longer than the grant. */
const HISTORY_TTL_SECONDS = 30 * 24 * 3600;

/** A rotated-out refresh token was presented again: the grant is revoked. */
export class RefreshTokenReused extends AuthRefusal {
  override readonly name = "RefreshTokenReused";
  readonly code = "ERR_REFRESH_TOKEN_REUSED";
}

/** The part of a KV namespace the history needs (OAUTH_KV in the Worker, a Map-backed double in tests). */
export interface HistoryStore {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

interface History {
  /** Hashes (hash.ts) of refresh tokens, never the tokens. */
  readonly current: string;
  readonly previous?: string;
  readonly retired: readonly string[];
  /** When `current` was issued (ms, the injected clock). */
  readonly rotatedAt: number;
  /** `previous` has been used once already within its grace. */
  readonly graceUsed: boolean;
}

/** Per request: where the history is kept, how the grant is revoked, and the library's token endpoint. */
export interface TokenEndpoint {
  readonly store: HistoryStore;
  /** Ends the grant and every token issued from it. */
  readonly revokeGrant: (grantId: string, userId: string) => Promise<void>;
  readonly next: (request: Request) => Promise<Response>;
}

export type RefreshReuseGuard = (request: Request, endpoint: TokenEndpoint) => Promise<Response>;

export function createRefreshReuseGuard(options: { readonly clock: Clock; readonly log: Log }): RefreshReuseGuard {
  const { clock, log } = options;
  return async (request, { store, revokeGrant, next }) => {
    const form = request.method === "POST" ? await formOf(request) : undefined;
    const grantType = form?.get("grant_type");
    if (grantType === "authorization_code") return recordIssued(await next(request), store, undefined, undefined);
    const presented = grantType === "refresh_token" ? form?.get("refresh_token") : undefined;
    const grant = presented ? grantOf(presented) : undefined;
    if (!presented || !grant) return next(request);

    const key = historyKey(grant);
    const history = (await store.get(key, "json")) as History | null;
    const hash = await sha256(presented);
    const use = history ? classify(history, hash, clock.now()) : "unknown";
    if (use === "reuse") {
      await revokeGrant(grant.grantId, grant.userId);
      await store.delete(key);
      log({ event: "refresh_refused", ...failureFields(new RefreshTokenReused("a refresh token was used again after its rotation: the grant is revoked")) });
      return invalidGrant();
    }
    return recordIssued(await next(request), store, history && use !== "unknown" ? { history, use } : undefined, hash);
  };

  /** Keeps the new refresh token of a successful answer as the grant's current one. */
  async function recordIssued(
    response: Response,
    store: HistoryStore,
    before: { history: History; use: "current" | "grace" } | undefined,
    presentedHash: string | undefined,
  ): Promise<Response> {
    if (response.status !== 200) return response;
    const issued = ((await response.clone().json()) as { refresh_token?: unknown }).refresh_token;
    const grant = typeof issued === "string" ? grantOf(issued) : undefined;
    if (!grant) return response;
    const { history, use } = before ?? {};
    // The token that stops being current: the replaced one normally; after a grace use, the successor the client
    // never received (the replaced one stays `previous`, its grace spent).
    const retiring = use === "grace" ? history?.current : history?.previous;
    const next: History = {
      current: await sha256(issued as string),
      ...(presentedHash && { previous: presentedHash }),
      retired: [...(history?.retired ?? []), ...(retiring ? [retiring] : [])].slice(-MAX_RETIRED),
      rotatedAt: clock.now(),
      graceUsed: use === "grace",
    };
    await store.put(historyKey(grant), JSON.stringify(next), { expirationTtl: HISTORY_TTL_SECONDS });
    return response;
  }
}

function classify(history: History, hash: string, now: number): "current" | "grace" | "reuse" | "unknown" {
  if (hash === history.current) return "current";
  if (hash === history.previous) return !history.graceUsed && now - history.rotatedAt <= GRACE_MS ? "grace" : "reuse";
  return history.retired.includes(hash) ? "reuse" : "unknown";
}

/** workers-oauth-provider's tokens are `<userId>:<grantId>:<secret>`. */
function grantOf(token: string): { userId: string; grantId: string } | undefined {
  const [userId, grantId, secret, ...rest] = token.split(":");
  return userId && grantId && secret && rest.length === 0 ? { userId, grantId } : undefined;
}

function historyKey(grant: { userId: string; grantId: string }): string {
  return `refresh-history:${grant.userId}:${grant.grantId}`;
}

async function formOf(request: Request): Promise<URLSearchParams | undefined> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  return new URLSearchParams(await request.clone().text());
}

/** RFC 6749 §5.2; RFC 6749 §5.1: token endpoint answers are not cached. */
function invalidGrant(): Response {
  return Response.json(
    { error: "invalid_grant", error_description: "This refresh token was already used: sign in again" },
    { status: 400, headers: { "cache-control": "no-store", pragma: "no-cache" } },
  );
}
