/**
 * The step-up memory of the resource-server family (PingFederate): PingFederate decides which scopes a user can get,
 * and the bridge cannot ask it. What the bridge can tell from the token is its `iat`. So when it challenges a token
 * for scopes (HTTP 403 `insufficient_scope`), it notes the challenge: who (issuer, subject, client), which scope, and
 * the challenged token (its `iat` and a SHA-256 fingerprint). A later token of the same user and client that still
 * lacks the scope is then, if it is another token issued at or after the challenged one, the answer to the
 * challenge: the client signed in again asking for the scope and PingFederate did not grant it. That call gets the
 * tool error instead of another challenge (no sign-in loop). The same token again (the client did not step up) is
 * challenged again.
 *
 * The notes are short-lived (10 minutes) and hold no token: in the isolate's memory, and in a named Workers cache
 * (`caches.open`, KV-free, per data center) so other isolates of the Worker see them too. The named cache is
 * server-side only (no client can write it) and is a no-op on workers.dev; there only the isolate's memory remains,
 * and a retry that lands on another isolate is challenged once more (MCP clients stop after one step-up retry).
 * Trade-off: a token refreshed without signing in again within the 10 minutes also counts as the answer.
 */
import type { Clock } from "../clock.ts";
import { sha256 } from "./hash.ts";

/** How long a challenge is remembered. */
export const STEP_UP_MEMORY_MS = 10 * 60_000;
/** Notes kept in one isolate's memory at most (the oldest go first). */
const MAX_NOTES = 1_000;

/** The token a request presented, as far as the memory needs it. */
export interface PresentedToken {
  readonly issuer: string;
  readonly subject: string;
  /** RFC 9068 `client_id` (or `azp`); empty when the token names none. */
  readonly clientId: string;
  /** RFC 7519 `iat`, seconds; undefined when the token has none. */
  readonly issuedAt: number | undefined;
  readonly token: string;
}

/** A challenge, as remembered. */
interface Note {
  readonly issuedAt: number | null;
  readonly fingerprint: string;
}

/** Where notes are shared between isolates (a named Workers cache; a double in tests). */
export interface SharedNotes {
  get(key: string): Promise<Note | undefined>;
  put(key: string, note: Note, ttlMs: number): Promise<void>;
}

export interface StepUpLedger {
  /** true: challenge (noted); false: this token is the refused answer to an earlier challenge for one of `missing`. */
  challenge(presented: PresentedToken, missing: readonly string[]): Promise<boolean>;
}

export function createStepUpLedger(options: { readonly clock: Clock; readonly shared?: SharedNotes | undefined }): StepUpLedger {
  const { clock, shared } = options;
  const memory = new Map<string, { readonly note: Note; readonly until: number }>();

  // The shared notes are a best effort beside the memory: a cache that fails is read as empty, never a failed request.
  async function read(key: string): Promise<Note | undefined> {
    const kept = memory.get(key);
    if (kept && clock.now() < kept.until) return kept.note;
    return shared?.get(key).catch(() => undefined);
  }

  async function write(key: string, note: Note): Promise<void> {
    memory.delete(key);
    if (memory.size >= MAX_NOTES) memory.delete(memory.keys().next().value!);
    memory.set(key, { note, until: clock.now() + STEP_UP_MEMORY_MS });
    await shared?.put(key, note, STEP_UP_MEMORY_MS).catch(() => undefined);
  }

  return {
    async challenge(presented, missing) {
      const fingerprint = await sha256(presented.token);
      const issuedAt = presented.issuedAt ?? Number.POSITIVE_INFINITY;
      const keys = await Promise.all(
        missing.map((scope) => sha256(`${presented.issuer}\n${presented.subject}\n${presented.clientId}\n${scope}`)),
      );
      for (const key of keys) {
        const note = await read(key);
        if (note && note.fingerprint !== fingerprint && issuedAt >= (note.issuedAt ?? Number.NEGATIVE_INFINITY)) return false;
      }
      const note: Note = { issuedAt: presented.issuedAt ?? null, fingerprint };
      await Promise.all(keys.map((key) => write(key, note)));
      return true;
    },
  };
}

/**
 * Notes in a named Workers cache (Cache API), under the bridge's own origin (a path it never serves), each kept as
 * long as the memory's. Undefined where there is no Cache API (Node).
 */
export function cacheNotes(origin: string): SharedNotes | undefined {
  const storage = (globalThis as { caches?: NamedCaches }).caches;
  if (!storage) return undefined;
  // Opened per use: in workerd an I/O object of one request must not be used by another.
  const cache = () => storage.open("mcp-bridge-step-up");
  const keyOf = (key: string) => new Request(`${origin}/__mcp-bridge/step-up/${key}`);
  return {
    async get(key) {
      const hit = await (await cache()).match(keyOf(key));
      return hit ? ((await hit.json()) as Note) : undefined;
    },
    async put(key, note, ttlMs) {
      const response = Response.json(note, { headers: { "cache-control": `max-age=${Math.ceil(ttlMs / 1000)}` } });
      await (await cache()).put(keyOf(key), response);
    },
  };
}

/** The part of workerd's CacheStorage used here (typed locally: the Node programs that import this have no such global). */
interface NamedCaches {
  open(name: string): Promise<{ match(request: Request): Promise<Response | undefined>; put(request: Request, response: Response): Promise<void> }>;
}
