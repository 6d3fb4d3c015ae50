/**
 * src/worker.ts, the Worker every deployment runs (src/index.ts is it with generated/): log events are written after
 * the answer is handed back, in `waitUntil`, and none is lost.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { config } from "../../../generated/config.ts";
import { discovery } from "../../../generated/discovery.ts";
import { policy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import { deferredLog, type LogEvent } from "../../../src/log.ts";
import { bridgeWorker } from "../../../src/worker.ts";
import { mcpPost } from "./mcp-request.ts";

afterEach(() => vi.restoreAllMocks());

describe("deferredLog", () => {
  it("holds events while a request is open and writes them, in order, each once, when it is released", () => {
    const written: LogEvent[] = [];
    const logs = deferredLog((event) => void written.push(event));
    const release = logs.hold();
    logs.log({ event: "a" });
    logs.log({ event: "b" });
    expect(written).toEqual([]);
    release();
    release();
    expect(written.map((event) => event.event)).toEqual(["a", "b"]);
  });

  it("writes at once an event logged while no request is open (a library's work left running after its answer)", () => {
    const written: LogEvent[] = [];
    const logs = deferredLog((event) => void written.push(event));
    logs.hold()();
    logs.log({ event: "background_task_failed" });
    expect(written.map((event) => event.event)).toEqual(["background_task_failed"]);
  });

  it("with two requests open, each release writes what is held so far; a later event waits for the one still open", () => {
    const written: LogEvent[] = [];
    const logs = deferredLog((event) => void written.push(event));
    const first = logs.hold();
    const second = logs.hold();
    logs.log({ event: "a" });
    first();
    logs.log({ event: "b" });
    expect(written.map((event) => event.event)).toEqual(["a"]);
    second();
    expect(written.map((event) => event.event)).toEqual(["a", "b"]);
  });
});

/** The repo's generated bridge (PingFederate): a request without a token is refused, which logs `auth_refused`. */
const worker = bridgeWorker({ config, tools, policy, discovery });
const unauthenticated = () => {
  const request = mcpPost("", { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
  request.headers.delete("authorization");
  return request;
};
const loggedEvents = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)).event);

describe("bridgeWorker", () => {
  it("writes a request's log events after handing back its answer, through waitUntil", async () => {
    const console = vi.spyOn(globalThis.console, "log").mockImplementation(() => undefined);
    const waited: Promise<unknown>[] = [];
    const response = await worker.fetch(unauthenticated(), { TODO_API_BASE_URL: "http://127.0.0.1:8787" }, { waitUntil: (promise) => void waited.push(promise) });
    expect(response.status).toBe(401);
    expect(console).not.toHaveBeenCalled();
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(loggedEvents(console)).toEqual(["auth_refused"]);
  });

  it("asks for no later task when a request logged nothing", async () => {
    const console = vi.spyOn(globalThis.console, "log").mockImplementation(() => undefined);
    const waited: Promise<unknown>[] = [];
    const response = await worker.fetch(new Request("http://127.0.0.1:8788/elsewhere"), {}, { waitUntil: (promise) => void waited.push(promise) });
    expect(response.status).toBe(404);
    expect(waited).toEqual([]);
    expect(console).not.toHaveBeenCalled();
  });

  it("writes them before answering where there is no waitUntil to defer them to", async () => {
    const console = vi.spyOn(globalThis.console, "log").mockImplementation(() => undefined);
    const response = await worker.fetch(unauthenticated(), { TODO_API_BASE_URL: "http://127.0.0.1:8787" });
    expect(response.status).toBe(401);
    expect(loggedEvents(console)).toEqual(["auth_refused"]);
  });
});
