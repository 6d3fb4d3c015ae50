import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpRequestPlan } from "../../../src/tools/request.ts";
import type { HttpMethod } from "../../../src/tools/types.ts";
import { callUpstream, type UpstreamOptions } from "../../../src/upstream/client.ts";
import { UpstreamError } from "../../../src/upstream/errors.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

const URL_ = "https://api.example.com/v1/api/todos?completed=false";
const PATH = "/v1/api/todos";
const SECRET = "s3cr3t-upstream-token";
const CREDENTIALS = { authorization: `Bearer ${SECRET}`, "cf-access-token": `access-${SECRET}` };

function plan(method: HttpMethod = "GET", extra: Partial<HttpRequestPlan> = {}): HttpRequestPlan {
  return { method, url: URL_, headers: { accept: "application/json" }, ...extra };
}

// ---------------------------------------------------------------------------------------------------------------
// Fakes

type FetchInput = Parameters<typeof fetch>[0];

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  redirect: Request["redirect"];
}

type Answer = Response | Error | ((request: Request) => Promise<Response>);

/** A fetch that records each request and answers from a script (the last answer repeats). */
function fakeFetch(...answers: Answer[]): { fetch: typeof fetch; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetcher = async (input: FetchInput): Promise<Response> => {
    const request = input as Request;
    calls.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: request.body ? await request.text() : undefined,
      redirect: request.redirect,
    });
    const answer = answers[Math.min(calls.length, answers.length) - 1];
    if (answer instanceof Error) throw answer;
    if (typeof answer === "function") return answer(request);
    if (!answer) throw new Error("no answer scripted");
    return answer;
  };
  return { fetch: fetcher as typeof fetch, calls };
}

/** A sleep that records the delays and returns at once. */
function fakeSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/**
 * Options with a frozen clock (time limits fire only when a test moves it: `clock.runUntilSettled`) and a sleep that
 * records the waits between attempts and returns at once.
 */
function options(
  fetcher: typeof fetch,
  extra: Partial<UpstreamOptions> & { clock?: ManualClock } = {},
): UpstreamOptions & { delays: number[]; clock: ManualClock } {
  const { sleep, delays } = fakeSleep();
  return { fetch: fetcher, timeoutMs: 5_000, maxResponseBytes: 1_000_000, sleep, random: () => 0.5, delays, clock: new ManualClock(), ...extra };
}

function status(code: number, headers: Record<string, string> = {}, body: string | null = null): Response {
  return new Response(body, { status: code, headers });
}

/** fetch's failure for a network error: a TypeError whose cause carries the system error. */
function networkError(): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
}

/** A body of `count` chunks of `size` bytes (chunk i filled with i), pulled on demand; records pulls and cancel. */
function chunkedBody(count: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === count) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(state.pulled));
      state.pulled += 1;
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

/**
 * Requests in flight. A real fetch holds its request until it settles; so must a fake: Node's derived signal (the
 * Request's) is otherwise collectable, and its abort listener with it.
 */
const inFlight = new Set<Request>();

/** A fetch that waits until its request's signal aborts, then rejects with the reason (as fetch does). */
const hangingFetch = ((input: FetchInput) => {
  const request = input as Request;
  inFlight.add(request);
  return new Promise<Response>((_, reject) =>
    request.signal.addEventListener("abort", () => {
      inFlight.delete(request);
      reject(request.signal.reason);
    }),
  );
}) as typeof fetch;

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error("expected an UpstreamError");
}

function expectNoSecret(error: UpstreamError): void {
  for (const text of [error.message, String(error.stack), JSON.stringify(error), String(error)]) {
    expect(text).not.toContain(SECRET);
  }
  expect(error.cause).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------------------------

describe("callUpstream: the request sent", () => {
  it("sends the plan's method, URL, headers and body with the credentials added", async () => {
    const { fetch, calls } = fakeFetch(status(201, { "content-type": "application/json" }, '{"id":"1"}'));
    const body = JSON.stringify({ todoText: "milk" });
    const sent = plan("POST", { headers: { accept: "application/json", "content-type": "application/json" }, body });
    await callUpstream(sent, CREDENTIALS, options(fetch));
    expect(calls).toEqual([
      {
        method: "POST",
        url: URL_,
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          authorization: `Bearer ${SECRET}`,
          "cf-access-token": `access-${SECRET}`,
        },
        body,
        redirect: "manual",
      },
    ]);
  });

  it("lets a credential replace a plan header of the same name, whatever its case (RFC 9110 §5.1)", async () => {
    const { fetch, calls } = fakeFetch(status(200));
    await callUpstream(plan("GET", { headers: { authorization: "Bearer planned" } }), { Authorization: "Bearer real" }, options(fetch));
    expect(calls[0]?.headers["authorization"]).toBe("Bearer real");
  });

  it("does not follow redirects: the credentials stay with the configured API", async () => {
    const { fetch, calls } = fakeFetch(status(302, { location: "https://elsewhere.example/" }));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch));
    expect(calls[0]?.redirect).toBe("manual");
    expect(response.status).toBe(302);
  });

  it("returns the status, headers, content type, body and attempt count", async () => {
    const answer = new Response('{"todos":[]}', {
      status: 200,
      statusText: "OK",
      headers: { "content-type": "application/json; charset=utf-8", etag: '"v1"' },
    });
    const response = await callUpstream(plan(), CREDENTIALS, options(fakeFetch(answer).fetch));
    expect(response).toMatchObject({
      status: 200,
      statusText: "OK",
      contentType: "application/json; charset=utf-8",
      truncated: false,
      receivedBytes: 12,
      attempts: 1,
    });
    expect(response.headers.get("etag")).toBe('"v1"');
    expect(new TextDecoder().decode(response.body)).toBe('{"todos":[]}');
  });

  it("gives an empty body and no content type for a response without either", async () => {
    const response = await callUpstream(plan("DELETE"), CREDENTIALS, options(fakeFetch(status(204)).fetch));
    expect(response).toMatchObject({ status: 204, contentType: "", truncated: false, receivedBytes: 0 });
    expect(response.body).toEqual(new Uint8Array(0));
  });

  const multipart = new FormData();
  multipart.append("note", "hello");
  multipart.append("file", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "file");
  it.each([
    ["a string", "text body", "text body"],
    ["bytes", new Uint8Array([104, 105]), "hi"],
    ["URLSearchParams", new URLSearchParams({ a: "1", b: "x y" }), "a=1&b=x+y"],
    ["FormData", multipart, 'name="note"\r\n\r\nhello'],
  ])("sends %s body again, whole, on a retry", async (_, body, expected) => {
    const { fetch, calls } = fakeFetch(status(503), status(200));
    const response = await callUpstream(plan("PUT", { body }), CREDENTIALS, options(fetch));
    expect(response.attempts).toBe(2);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.body).toContain(expected);
    // A FormData gets a new boundary with each Request; the others are byte for byte the same.
    if (!(body instanceof FormData)) expect(calls[0]?.body).toBe(calls[1]?.body);
  });
});

describe("callUpstream: retries", () => {
  const transient: Array<number | "network"> = [502, 503, 504, "network"];
  const cases = (["GET", "PUT", "DELETE", "HEAD", "OPTIONS"] as const).flatMap((method) =>
    transient.map((failure) => [method, failure] as const),
  );

  it.each(cases)("repeats %s after %s, twice, with 200 then 400 ms of backoff", async (method, failure) => {
    const { fetch, calls } = fakeFetch(failure === "network" ? networkError() : status(failure));
    const opts = options(fetch);
    const outcome = callUpstream(plan(method), CREDENTIALS, opts);
    if (failure === "network") {
      const error = await upstreamError(outcome);
      expect(error).toMatchObject({ code: "ERR_UPSTREAM_NETWORK", attempts: 3 });
      expect(error.message).toBe(`${method} ${PATH} failed with a network error (ECONNREFUSED) (3 attempts)`);
    } else {
      await expect(outcome).resolves.toMatchObject({ status: failure, attempts: 3 });
    }
    expect(calls).toHaveLength(3);
    expect(calls.every((call) => call.method === method && call.headers["authorization"] === `Bearer ${SECRET}`)).toBe(true);
    expect(opts.delays).toEqual([200, 400]);
  });

  it("stops retrying once a response is good", async () => {
    const { fetch, calls } = fakeFetch(status(502), networkError(), status(200, {}, "ok"));
    const opts = options(fetch);
    const response = await callUpstream(plan(), CREDENTIALS, opts);
    expect(response).toMatchObject({ status: 200, attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(opts.delays).toEqual([200, 400]);
  });

  it.each([
    [0, [160, 320]],
    [0.25, [180, 360]],
    [0.5, [200, 400]],
    [0.9999, [240, 480]],
  ])("adds ±20%% jitter (random() = %s → %j ms)", async (random, expected) => {
    const opts = options(fakeFetch(status(503)).fetch, { random: () => random });
    await callUpstream(plan(), CREDENTIALS, opts);
    expect(opts.delays).toEqual(expected);
  });

  it("takes the number of retries and the first delay from the options", async () => {
    const { fetch, calls } = fakeFetch(status(504));
    const opts = options(fetch, { retries: 3, backoffMs: 100 });
    expect((await callUpstream(plan(), CREDENTIALS, opts)).attempts).toBe(4);
    expect(calls).toHaveLength(4);
    expect(opts.delays).toEqual([100, 200, 400]);
  });

  it("makes one attempt with retries: 0", async () => {
    const { fetch, calls } = fakeFetch(status(503));
    const opts = options(fetch, { retries: 0 });
    expect((await callUpstream(plan(), CREDENTIALS, opts)).attempts).toBe(1);
    expect(calls).toHaveLength(1);
    expect(opts.delays).toEqual([]);
  });

  it.each([
    ...(["POST", "PATCH"] as const).flatMap((method) => [502, 503, 504].map((code) => [method, code] as const)),
    ...(["GET", "PUT", "DELETE"] as const).flatMap((method) => [400, 401, 404, 409, 429, 500, 501].map((code) => [method, code] as const)),
  ])("does not repeat %s answered with %s", async (method, code) => {
    const { fetch, calls } = fakeFetch(status(code, { "retry-after": "1" }));
    const opts = options(fetch);
    expect(await callUpstream(plan(method), CREDENTIALS, opts)).toMatchObject({ status: code, attempts: 1 });
    expect(calls).toHaveLength(1);
    expect(opts.delays).toEqual([]);
  });

  it.each(["POST", "PATCH"] as const)("does not repeat %s after a network error (RFC 9110 §9.2.2)", async (method) => {
    const { fetch, calls } = fakeFetch(networkError(), status(200));
    const opts = options(fetch);
    const error = await upstreamError(callUpstream(plan(method, { body: "{}" }), CREDENTIALS, opts));
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_NETWORK", attempts: 1, method });
    expect(calls).toHaveLength(1);
    expect(opts.delays).toEqual([]);
  });

  it("repeats after workerd's network failure, a plain Error rather than the standard TypeError", async () => {
    const { fetch, calls } = fakeFetch(new Error("Network connection lost."), status(200));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch));
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it("does not repeat a POST after a network failure (it may have reached the API)", async () => {
    const { fetch, calls } = fakeFetch(new Error("Network connection lost."), status(201));
    const error = await upstreamError(callUpstream(plan("POST"), CREDENTIALS, options(fetch)));
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_NETWORK", attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it("cancels the body of each response it retries", async () => {
    const first = chunkedBody(100, 1000);
    const { fetch } = fakeFetch(new Response(first.stream, { status: 503 }), status(200));
    await callUpstream(plan(), CREDENTIALS, options(fetch));
    expect(first.state.cancelled).toBe(true);
  });

  const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
  it.each([
    ["3", [3000]],
    ["0", [0]],
    ["10", [10_000]],
    [" 2 ", [2000]],
    [new Date(NOW + 5000).toUTCString(), [5000]],
    [new Date(NOW - 5000).toUTCString(), [0]],
    ["soon", [200]],
  ])("waits as Retry-After: %s on 503 says (%j ms)", async (retryAfter, expected) => {
    const { fetch, calls } = fakeFetch(status(503, { "retry-after": retryAfter }), status(200));
    const opts = options(fetch, { clock: new ManualClock(NOW) });
    expect((await callUpstream(plan(), CREDENTIALS, opts)).attempts).toBe(2);
    expect(calls).toHaveLength(2);
    expect(opts.delays).toEqual(expected);
  });

  it.each(["11", "3600", new Date(NOW + 60_000).toUTCString()])(
    "returns the 503 instead of waiting for Retry-After: %s (over 10 s)",
    async (retryAfter) => {
      const { fetch, calls } = fakeFetch(status(503, { "retry-after": retryAfter }, "down for maintenance"), status(200));
      const opts = options(fetch, { clock: new ManualClock(NOW) });
      const response = await callUpstream(plan(), CREDENTIALS, opts);
      expect(response).toMatchObject({ status: 503, attempts: 1 });
      expect(new TextDecoder().decode(response.body)).toBe("down for maintenance");
      expect(response.headers.get("retry-after")).toBe(retryAfter);
      expect(calls).toHaveLength(1);
      expect(opts.delays).toEqual([]);
    },
  );

  it.each([502, 504])("uses its own backoff on %s, whose Retry-After RFC 9110 does not define", async (code) => {
    const opts = options(fakeFetch(status(code, { "retry-after": "3" }), status(200)).fetch);
    await callUpstream(plan(), CREDENTIALS, opts);
    expect(opts.delays).toEqual([200]);
  });
});

describe("callUpstream: time limit", () => {
  it("fails with ERR_UPSTREAM_TIMEOUT when the API does not answer in time, and not before", async () => {
    const opts = options(hangingFetch, { timeoutMs: 20 });
    let ended = false;
    const failed = upstreamError(callUpstream(plan(), CREDENTIALS, opts).finally(() => (ended = true)));
    await opts.clock.advance(19);
    expect(ended).toBe(false);
    await opts.clock.advance(1);
    const error = await failed;
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_TIMEOUT", attempts: 1, method: "GET", path: PATH, name: "UpstreamTimeout" });
    expect(error.message).toBe(`GET ${PATH} timed out after 20 ms (1 attempt)`);
    expect(opts.clock.pending).toBe(0);
  });

  it("does not repeat a request that timed out (the time is spent; a retry would multiply it)", async () => {
    let calls = 0;
    const counting = ((input: FetchInput) => {
      calls += 1;
      return hangingFetch(input);
    }) as typeof fetch;
    const opts = options(counting, { timeoutMs: 20 });
    await upstreamError(opts.clock.runUntilSettled(callUpstream(plan("PUT"), CREDENTIALS, opts)));
    expect(calls).toBe(1);
    expect(opts.delays).toEqual([]);
  });

  it("counts earlier attempts in the message", async () => {
    const { fetch } = fakeFetch(status(503), (request) => hangingFetch(request));
    const opts = options(fetch, { timeoutMs: 20 });
    const error = await upstreamError(opts.clock.runUntilSettled(callUpstream(plan(), CREDENTIALS, opts)));
    expect(error.message).toBe(`GET ${PATH} timed out after 20 ms (2 attempts)`);
  });

  it("limits the time to read the body too, and cancels it", async () => {
    const state = { cancelled: false };
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([123]));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const { fetch } = fakeFetch(new Response(stalled, { status: 200 }));
    const opts = options(fetch, { timeoutMs: 20 });
    const error = await upstreamError(opts.clock.runUntilSettled(callUpstream(plan(), CREDENTIALS, opts)));
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_TIMEOUT", attempts: 1 });
    expect(state.cancelled).toBe(true);
  });
});

describe("callUpstream: response size cap", () => {
  it.each([
    // chunks × size, cap → kept bytes, truncated, bytes received, chunks pulled
    [10, 100, 250, 250, true, 300, 3],
    [10, 100, 300, 300, true, 400, 4],
    [10, 100, 1000, 1000, false, 1000, 10],
    [10, 100, 5000, 1000, false, 1000, 10],
    [10, 100, 0, 0, true, 100, 1],
  ])("%i chunks of %i bytes, cap %i: keeps %i bytes (truncated: %s, %i received)", async (count, size, cap, kept, truncated, received, pulled) => {
    const body = chunkedBody(count, size);
    const { fetch } = fakeFetch(new Response(body.stream, { status: 200, headers: { "content-type": "application/octet-stream" } }));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch, { maxResponseBytes: cap }));
    expect(response).toMatchObject({ truncated, receivedBytes: received, attempts: 1 });
    expect(response.body.length).toBe(kept);
    // The kept bytes are the first ones, in order: byte i came from chunk ⌊i / size⌋.
    expect(response.body.every((byte, index) => byte === Math.floor(index / size))).toBe(true);
    expect(body.state.cancelled).toBe(truncated);
    expect(body.state.pulled).toBe(pulled);
  });

  it("cuts a body longer than its declared Content-Length to the cap", async () => {
    // A runtime's HTTP client ends a body at its Content-Length; a fetch that does not (a fake, a Worker's own
    // Response) still gets no more than the cap kept.
    const { fetch } = fakeFetch(() => Promise.resolve(new Response("y".repeat(100), { status: 200, headers: { "content-length": "5" } })));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch, { maxResponseBytes: 10 }));
    expect(response).toMatchObject({ status: 200, truncated: true, receivedBytes: 100 });
    expect(new TextDecoder().decode(response.body)).toBe("y".repeat(10));
  });

  it("reads the body of the last response when retries are exhausted, capped", async () => {
    const { fetch } = fakeFetch(() => Promise.resolve(new Response("x".repeat(100), { status: 503 })));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch, { maxResponseBytes: 10 }));
    expect(response).toMatchObject({ status: 503, attempts: 3, truncated: true });
    expect(response.body.length).toBe(10);
  });

  it("treats a body that fails mid-way as a network error, and repeats a GET", async () => {
    const broken = () =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array([1]));
              controller.error(new TypeError("terminated"));
            },
          }),
        ),
      );
    const { fetch, calls } = fakeFetch(broken, status(200, {}, "ok"));
    const response = await callUpstream(plan(), CREDENTIALS, options(fetch));
    expect(response).toMatchObject({ status: 200, attempts: 2 });
    expect(calls).toHaveLength(2);
  });
});

describe("callUpstream: credentials never leak", () => {
  it.each([
    ["a timeout", hangingFetch],
    ["a network error whose text quotes the header", fakeFetch(new TypeError(`fetch failed: authorization: Bearer ${SECRET}`, { cause: new Error(SECRET) })).fetch],
    ["another error quoting the header", fakeFetch(new Error(`bad header Bearer ${SECRET}`)).fetch],
  ])("not in the error for %s", async (_, fetcher) => {
    const opts = options(fetcher, { timeoutMs: 20 });
    const error = await upstreamError(opts.clock.runUntilSettled(callUpstream(plan(), CREDENTIALS, opts)));
    expectNoSecret(error);
    expect(error.message).toMatch(new RegExp(`^GET ${PATH} `));
  });

  it("not in the error for a credential that is not a valid header value (whose TypeError would quote it)", async () => {
    const { fetch, calls } = fakeFetch(status(200));
    const error = await upstreamError(callUpstream(plan(), { authorization: `Bearer ${SECRET}\r\nx-injected: 1` }, options(fetch)));
    expectNoSecret(error);
    expect(error.code).toBe("ERR_UPSTREAM_REQUEST_INVALID");
    expect(error.message).toBe(
      `GET ${PATH} could not be sent: the request was rejected before sending (a header value, the URL or the body is invalid) (1 attempt)`,
    );
    expect(calls).toHaveLength(0);
  });

  it("not in the message's URL: the path only, no query", async () => {
    const opts = options(hangingFetch, { timeoutMs: 20 });
    const error = await upstreamError(
      opts.clock.runUntilSettled(callUpstream(plan("GET", { url: `https://api.example.com/v1/things?api_key=${SECRET}` }), {}, opts)),
    );
    expect(error.path).toBe("/v1/things");
    expectNoSecret(error);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Against a real HTTP server on a loopback socket, with the runtime's own fetch.

describe("callUpstream against a real HTTP server", () => {
  let server: Server | undefined;

  afterEach(async () => {
    const open = server;
    server = undefined;
    if (!open) return;
    open.closeAllConnections();
    await new Promise<void>((resolve) => open.close(() => resolve()));
  });

  async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
    server = createServer(handler);
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  it("times out on a slow endpoint", async () => {
    const base = await serve((_, response) => {
      setTimeout(() => response.end("too late"), 2_000).unref();
    });
    const opts = options(fetch, { timeoutMs: 100 });
    const error = await upstreamError(opts.clock.runUntilSettled(callUpstream(plan("GET", { url: `${base}/slow` }), CREDENTIALS, opts)));
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_TIMEOUT", attempts: 1 });
    expect(error.message).toBe("GET /slow timed out after 100 ms (1 attempt)");
    expectNoSecret(error);
  });

  it("caps a huge streamed response and closes the connection", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const total = 256 * 1024 * 1024;
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const base = await serve((_, response) => {
      let open = true;
      response.on("close", () => {
        open = false;
        closed();
      });
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const pump = (): void => {
        while (open && sent < total) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        if (open) response.end();
      };
      pump();
    });
    const cap = 100_000;
    const response = await callUpstream(plan("GET", { url: `${base}/huge` }), CREDENTIALS, options(fetch, { maxResponseBytes: cap }));
    expect(response).toMatchObject({ status: 200, truncated: true, attempts: 1 });
    expect(response.body.length).toBe(cap);
    expect(response.body.every((byte) => byte === 7)).toBe(true);
    expect(response.receivedBytes).toBeGreaterThan(cap);
    await connectionClosed;
    expect(sent).toBeLessThan(total);
  });

  it("reads a body whose Content-Length fits the cap whole, and still times out when it stalls", async () => {
    const base = await serve((request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      if (request.url === "/whole") return void response.end(`[${"1,".repeat(48)}10]`);
      response.write("[1,");
    });
    const whole = await callUpstream(plan("GET", { url: `${base}/whole` }), CREDENTIALS, options(fetch, { maxResponseBytes: 100 }));
    expect(whole).toMatchObject({ status: 200, truncated: false, receivedBytes: 100, attempts: 1 });
    expect(JSON.parse(new TextDecoder().decode(whole.body))).toHaveLength(49);
    const opts = options(fetch, { timeoutMs: 100 });
    const error = await upstreamError(opts.clock.runUntilSettled(callUpstream(plan("GET", { url: `${base}/stalled` }), CREDENTIALS, opts)));
    expect(error).toMatchObject({ code: "ERR_UPSTREAM_TIMEOUT", attempts: 1 });
  });

  it("caps a body whose Content-Length is over the cap, without reading it all", async () => {
    const total = 64 * 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024).fill(3);
    let sent = 0;
    const base = await serve((_, response) => {
      let open = true;
      response.on("close", () => (open = false));
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(total) });
      const pump = (): void => {
        while (open && sent < total) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
      };
      pump();
    });
    const response = await callUpstream(plan("GET", { url: `${base}/big` }), CREDENTIALS, options(fetch, { maxResponseBytes: 1000 }));
    expect(response).toMatchObject({ truncated: true, attempts: 1 });
    expect(response.body.length).toBe(1000);
    expect(sent).toBeLessThan(total);
  });

  it("retries a 503 (after its Retry-After) and returns the 200", async () => {
    const seen: Array<{ method: string | undefined; authorization: string | undefined }> = [];
    const base = await serve((request, response) => {
      seen.push({ method: request.method, authorization: request.headers.authorization });
      if (seen.length === 1) {
        response.writeHead(503, { "retry-after": "1", "content-type": "text/plain" });
        return void response.end("busy");
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"todos":[]}');
    });
    const opts = options(fetch);
    const response = await callUpstream(plan("GET", { url: `${base}/api/todos` }), CREDENTIALS, opts);
    expect(response).toMatchObject({ status: 200, attempts: 2, contentType: "application/json" });
    expect(new TextDecoder().decode(response.body)).toBe('{"todos":[]}');
    expect(opts.delays).toEqual([1000]);
    expect(seen).toEqual([
      { method: "GET", authorization: `Bearer ${SECRET}` },
      { method: "GET", authorization: `Bearer ${SECRET}` },
    ]);
  });
});
