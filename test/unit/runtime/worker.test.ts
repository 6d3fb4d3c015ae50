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
  it("hands events to the sink only on flush, in order, each once", () => {
    const written: LogEvent[] = [];
    const logs = deferredLog((event) => void written.push(event));
    logs.log({ event: "a" });
    logs.log({ event: "b" });
    expect(written).toEqual([]);
    logs.flush();
    logs.log({ event: "c" });
    logs.flush();
    logs.flush();
    expect(written.map((event) => event.event)).toEqual(["a", "b", "c"]);
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

  it("writes them before answering where there is no waitUntil to defer them to", async () => {
    const console = vi.spyOn(globalThis.console, "log").mockImplementation(() => undefined);
    const response = await worker.fetch(unauthenticated(), { TODO_API_BASE_URL: "http://127.0.0.1:8787" });
    expect(response.status).toBe(401);
    expect(loggedEvents(console)).toEqual(["auth_refused"]);
  });
});
