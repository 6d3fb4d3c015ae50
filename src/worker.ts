/**
 * The Worker around one generated bridge: what src/index.ts exports for generated/, and what the projects `npm start`,
 * the end-to-end tests and the benchmarks generate export for theirs, so every one of them serves exactly as a
 * deployment does.
 *
 * Log events (the `tool_call` audit line of every call, refusals, failures) are written once the answer is on its
 * way: held while the request runs and written in `ctx.waitUntil` after the Worker has handed back its Response, so
 * writing them is not part of any call's latency (docs/benchmarks.md, the Miniflare lane). Nothing waits longer: a
 * request's events are written after it ends, whether it answered or threw, and an event with no request open is
 * written at once (src/log.ts `deferredLog`).
 */
import type { RuntimeConfig } from "./config/runtime.ts";
import type { DiscoveryDefinition } from "./discovery/types.ts";
import type { PolicyDefinition } from "./policy/types.ts";
import type { ToolDefinition } from "./tools/types.ts";
import { adapterFor } from "./auth/index.ts";
import { createBridge } from "./bridge.ts";
import { deferredLog, jsonLineLog } from "./log.ts";

/** generated/: config.ts, tools.ts, policy.ts and discovery.ts. */
export interface Generated {
  config: RuntimeConfig;
  tools: readonly ToolDefinition[];
  policy: PolicyDefinition;
  discovery?: DiscoveryDefinition | undefined;
}

/** What a Worker needs of its ExecutionContext. */
interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export function bridgeWorker(generated: Generated) {
  const logs = deferredLog(jsonLineLog);
  const bridge = createBridge({ ...generated, log: logs.log, adapter: adapterFor(generated.config.auth, { scopes: generated.policy.scopes, log: logs.log }) });
  return {
    async fetch(request: Request, env: unknown, ctx?: WaitUntil): Promise<Response> {
      const release = logs.hold();
      try {
        return await bridge.fetch(request, env as Record<string, unknown>);
      } finally {
        // A request that logged nothing (a tools/list, a preflight) is released at once: no timer to write nothing.
        if (ctx && logs.waiting()) ctx.waitUntil(afterTheAnswer().then(release));
        else release();
      }
    },
  };
}

/**
 * Resolves in a later task than the one that returns the Response: a microtask would still run before the runtime
 * takes the Response from the handler's promise. Not a wait (no time is asked for), so not on the injected clock.
 */
function afterTheAnswer(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
