/**
 * Calls the upstream API for one tool call: the request plan plus the caller's upstream credentials, a time limit per
 * attempt, bounded retries for idempotent requests, and a byte cap on the response body.
 *
 * Credentials are headers merged over the plan's; they never appear in what this module returns or throws (errors
 * name the method and URL path only, and carry no `cause`). Time and I/O come in through the options (`fetch`,
 * `clock`, `random`) so tests control them. Web APIs only: this runs in workerd and Node.
 */
import { sleep, systemClock, withTimeout, type Clock } from "../clock.ts";
import { jsonLineLog, type Log } from "../log.ts";
import { UpstreamRequestInvalid, UpstreamTimeout, UpstreamUnreachable, type UpstreamError } from "./errors.ts";

/**
 * What to send, without credentials (src/tools/request.ts builds it from a tool's HTTP binding). Declared here, not
 * imported from src/tools, so the dependency runs one way: tools → upstream.
 */
export interface UpstreamRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Bodies that can be built again for a retry (a stream could not). */
  readonly body?: string | Uint8Array | URLSearchParams | FormData;
}

export interface UpstreamOptions {
  fetch: typeof fetch;
  /** Time limit for one attempt (sending, waiting for the response and reading its body). */
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is not read. */
  maxResponseBytes: number;
  /** Retries after the first attempt, for idempotent requests only. Default 2. */
  retries?: number;
  /** Delay before the first retry, doubled for each further one, ±20% jitter. Default 200. */
  backoffMs?: number;
  /** The time limit's timer, and "now" for a Retry-After given as an HTTP-date. */
  clock?: Clock;
  /** The wait between attempts; default: a timer on `clock`. */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1), for the jitter. */
  random?: () => number;
  /** Where a body that could not be cancelled is reported (nothing is lost: the bridge had stopped reading it). */
  log?: Log;
}

export interface UpstreamResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The Content-Type header as sent ("" when absent). */
  contentType: string;
  /** The body, at most `maxResponseBytes` long. */
  body: Uint8Array;
  /** The API sent more than `maxResponseBytes`; the rest was not read. */
  truncated: boolean;
  /** Body bytes received before reading stopped: `body.length`, or more when truncated (a lower bound of the size). */
  receivedBytes: number;
  attempts: number;
}

const DEFAULT_RETRIES = 2;
const DEFAULT_BACKOFF_MS = 200;
const JITTER = 0.2;
/** A longer Retry-After than this is not waited for: the 503 is returned as it is. */
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * RFC 9110 §9.2.2: a request whose intended effect is the same however often it is sent, so it can be repeated
 * after a failure whose outcome is unknown. POST and PATCH are not: a retry could create or change twice.
 */
const IDEMPOTENT = new Set<string>(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/**
 * Statuses that say the request was not processed and a later attempt may succeed (RFC 9110 §15.6.3 Bad Gateway,
 * §15.6.4 Service Unavailable, §15.6.5 Gateway Timeout). 500 is not among them: the server may have acted.
 */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

interface Settings {
  log: Log;
  fetch: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  retries: number;
  backoffMs: number;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Why an attempt produced no response. `retryable`: the request did not reach the API's logic (a network error). */
interface Failure {
  /** `invalid`: no Request could be built from the plan and credentials. */
  kind: "timeout" | "network" | "invalid";
  retryable: boolean;
  /** A system error code (ECONNREFUSED…) when the error carries one. */
  code?: string | undefined;
}

type Sent = { ok: true; response: Response } | { ok: false; failure: Failure };
type Read = { ok: true; body: CappedBody } | { ok: false; failure: Failure };

interface CappedBody {
  bytes: Uint8Array;
  truncated: boolean;
  receivedBytes: number;
}

/** Sends `plan` with `credentials` added, retrying idempotent requests on transient failures. */
export async function callUpstream(
  plan: UpstreamRequest,
  credentials: Record<string, string>,
  options: UpstreamOptions,
): Promise<UpstreamResponse> {
  const settings = settingsOf(options);
  for (let attempt = 1; ; attempt += 1) {
    const mayRetry = IDEMPOTENT.has(plan.method) && attempt <= settings.retries;
    const outcome = await withTimeout(settings.clock, settings.timeoutMs, (signal) =>
      attemptOnce(plan, credentials, settings, signal, mayRetry ? attempt : undefined),
    );
    if (outcome.type === "response") return { ...outcome.response, attempts: attempt };
    if (outcome.type === "retry") {
      await settings.sleep(outcome.delayMs);
      continue;
    }
    const { failure } = outcome;
    if (!(mayRetry && failure.retryable)) throw errorOf(failure, plan.method, pathOf(plan.url), settings.timeoutMs, attempt);
    await settings.sleep(backoffDelay(attempt, settings));
  }
}

type Outcome =
  | { type: "response"; response: Omit<UpstreamResponse, "attempts"> }
  | { type: "retry"; delayMs: number }
  | { type: "failed"; failure: Failure };

/**
 * One attempt: send, then either ask for a retry (a transient status, when `retryAttempt` allows one) or read the
 * body. The time limit covers all of it.
 */
async function attemptOnce(
  plan: UpstreamRequest,
  credentials: Record<string, string>,
  settings: Settings,
  signal: AbortSignal,
  retryAttempt: number | undefined,
): Promise<Outcome> {
  const request = buildFetchRequest(plan, credentials, signal);
  if (!request) return { type: "failed", failure: { kind: "invalid", retryable: false } };
  const sent = await send(settings.fetch, request, signal);
  if (!sent.ok) return { type: "failed", failure: sent.failure };
  const delayMs = retryAttempt === undefined ? undefined : retryDelay(sent.response, retryAttempt, settings);
  if (delayMs !== undefined) {
    await release(sent.response.body?.cancel(), settings.log);
    return { type: "retry", delayMs };
  }
  const read = await readBody(sent.response, settings.maxResponseBytes, signal, settings.log);
  if (!read.ok) return { type: "failed", failure: read.failure };
  return { type: "response", response: upstreamResponse(sent.response, read.body) };
}

function settingsOf(options: UpstreamOptions): Settings {
  const clock = options.clock ?? systemClock;
  return {
    log: options.log ?? jsonLineLog,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: Math.max(0, options.maxResponseBytes),
    retries: Math.max(0, options.retries ?? DEFAULT_RETRIES),
    backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
    clock,
    sleep: options.sleep ?? ((ms) => sleep(clock, ms)),
    random: options.random ?? Math.random,
  };
}

function pathOf(url: string): string {
  return URL.canParse(url) ? new URL(url).pathname : "(invalid URL)";
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

/**
 * A fresh Request per attempt: a body is consumed when sent, and ours (string, bytes, URLSearchParams, FormData) can
 * be built again. `undefined` when the Request cannot be built: its TypeError may quote a header value (a
 * credential), so it is not passed on.
 *
 * Redirects are not followed: the plan's URL is checked to stay within the API's base URL, and a redirect would take
 * the credentials (such as `cf-access-token`, which fetch does not strip across origins) elsewhere.
 */
function buildFetchRequest(plan: UpstreamRequest, credentials: Record<string, string>, signal: AbortSignal): Request | undefined {
  try {
    const headers = new Headers(plan.headers);
    // Header names are case-insensitive (RFC 9110 §5.1): a credential replaces a plan header of the same name.
    for (const [name, value] of Object.entries(credentials)) headers.set(name, value);
    const init: RequestInit = { method: plan.method, headers, signal, redirect: "manual" };
    if (plan.body !== undefined) init.body = plan.body;
    return new Request(plan.url, init);
  } catch {
    // Deliberately dropped: the TypeError may quote a header value. UpstreamRequestInvalid says what failed.
    return undefined;
  }
}

async function send(fetcher: typeof fetch, request: Request, signal: AbortSignal): Promise<Sent> {
  try {
    return { ok: true, response: await fetcher(request) };
  } catch (error) {
    return { ok: false, failure: failureOf(error, signal) };
  }
}

/**
 * Our own time limit ran out (whatever the error says), or the request failed on the way. The Fetch Standard says a
 * network error is a TypeError, but workerd rejects with a plain Error ("Network connection lost."): once the
 * Request was built (see buildRequest), any rejection of fetch is a failure on the way, worth repeating for an
 * idempotent method.
 */
function failureOf(error: unknown, signal: AbortSignal): Failure {
  if (signal.aborted) return { kind: "timeout", retryable: false };
  return { kind: "network", retryable: true, code: errorCode(error) };
}

function errorOf(failure: Failure, method: string, path: string, timeoutMs: number, attempts: number): UpstreamError {
  if (failure.kind === "timeout") return new UpstreamTimeout(method, path, timeoutMs, attempts);
  if (failure.kind === "invalid") return new UpstreamRequestInvalid(method, path);
  return new UpstreamUnreachable(method, path, failure.code, attempts);
}

/**
 * A system error code such as ECONNREFUSED from the error or its cause (undici puts it on `cause`): useful to an
 * operator, and unlike a message it cannot quote a header.
 */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Retrying

/** How long to wait before repeating the request, or `undefined` to keep this response. */
function retryDelay(response: Response, attempt: number, settings: Settings): number | undefined {
  if (!TRANSIENT_STATUSES.has(response.status)) return undefined;
  if (response.status === 503) {
    // RFC 9110 §10.2.3: with 503, Retry-After says how long the service expects to be unavailable. Repeating
    // sooner is pointless; a wait longer than we are prepared to make means giving the 503 to the caller.
    const after = retryAfterMs(response.headers.get("retry-after"), settings.clock.now());
    if (after !== undefined) return after <= MAX_RETRY_AFTER_MS ? after : undefined;
  }
  return backoffDelay(attempt, settings);
}

/** Retry-After = HTTP-date / delay-seconds (RFC 9110 §10.2.3), as milliseconds from now; `undefined` if unreadable. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** backoffMs × 2^(attempt−1), ±20% so that clients failing together do not retry together. */
function backoffDelay(attempt: number, settings: Settings): number {
  const base = settings.backoffMs * 2 ** (attempt - 1);
  return Math.round(base * (1 + JITTER * (2 * settings.random() - 1)));
}

/**
 * Waits for a body the bridge stops reading to be cancelled, which frees the connection. A cancel that fails loses
 * nothing (the stream is already finished or broken), so it is reported to the log and not thrown.
 */
async function release(cancelled: Promise<void> | undefined, log: Log): Promise<void> {
  try {
    await cancelled;
  } catch (error) {
    log({ event: "upstream_body_cancel_failed", reason: error instanceof Error ? error.name : typeof error });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

async function readBody(response: Response, cap: number, signal: AbortSignal, log: Log): Promise<Read> {
  try {
    const declared = declaredLength(response.headers);
    const body = declared !== undefined && declared <= cap ? await readWhole(response, cap, signal) : await readCapped(response.body, cap, signal, log);
    return { ok: true, body };
  } catch (error) {
    return { ok: false, failure: failureOf(error, signal) };
  }
}

/** The body's length as the response declares it (RFC 9110 §8.6 Content-Length), when it does. */
function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * A body whose declared length fits the cap, read whole by the runtime in one step rather than chunk by chunk in
 * JavaScript (the usual case: an API answers with a Content-Length; docs/benchmarks.md has what it saves). The
 * runtime's HTTP client ends a body at its declared length (RFC 9112 §6.3), so memory stays within the cap; a body
 * that came longer anyway is cut to the cap like any other. The attempt's time limit holds as for a chunked read:
 * the read is abandoned when the signal aborts (the fetch was made with that signal, so the runtime stops it too).
 */
async function readWhole(response: Response, cap: number, signal: AbortSignal): Promise<CappedBody> {
  if (signal.aborted) throw signal.reason;
  const reading = response.arrayBuffer();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const bytes = new Uint8Array(await Promise.race([reading, aborted]));
    const received = bytes.byteLength;
    return received > cap ? { bytes: bytes.slice(0, cap), truncated: true, receivedBytes: received } : { bytes, truncated: false, receivedBytes: received };
  } catch (error) {
    // Abandoned on abort: its own failure, if any, has nowhere to go.
    reading.catch(() => undefined);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Reads at most `cap` bytes, then cancels the stream so the rest is never transferred: memory stays bounded by
 * the cap plus one chunk, whatever the API sends. The read also ends when the attempt's time runs out (not every
 * stream observes the signal): the abort cancels the reader, which ends a pending read, and the loop then throws
 * the signal's reason. One listener per body, not per chunk.
 */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number, signal: AbortSignal, log: Log): Promise<CappedBody> {
  if (!body) return { bytes: new Uint8Array(0), truncated: false, receivedBytes: 0 };
  if (signal.aborted) throw signal.reason;
  const reader = body.getReader();
  const onAbort = (): void => void release(reader.cancel(signal.reason), log);
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) return { bytes: concat(chunks, kept), truncated: false, receivedBytes: received };
      received += value.byteLength;
      const room = cap - kept;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        kept += room;
        await release(reader.cancel(), log);
        return { bytes: concat(chunks, kept), truncated: true, receivedBytes: received };
      }
      chunks.push(value);
      kept += value.byteLength;
    }
  } catch (error) {
    void release(reader.cancel(), log);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function upstreamResponse(response: Response, body: CappedBody): Omit<UpstreamResponse, "attempts"> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    contentType: response.headers.get("content-type") ?? "",
    body: body.bytes,
    truncated: body.truncated,
    receivedBytes: body.receivedBytes,
  };
}
