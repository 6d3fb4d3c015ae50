/**
 * The one log hook every part of the runtime reports to (injected: createBridge's and the adapters' `log`). An event
 * is a flat JSON object with an `event` name; failures carry their stable `code` and `reason` (src/errors.ts). Nothing
 * logged is a token or a secret: events are built from codes, names and reasons written for the log.
 */
import { BridgeError, INTERNAL_ERROR_CODE } from "./errors.ts";

export interface LogEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

export type Log = (event: LogEvent) => void;

/** The default hook: one JSON line per event on the console (Workers Logs keep it as a structured record). */
export const jsonLineLog: Log = (event) => console.log(JSON.stringify(event));

/**
 * A hook that keeps events until `flush` hands them, in order, to `sink` (src/worker.ts flushes after the answer is
 * sent). One buffer for every request of the isolate: whichever request flushes first writes the others' events too.
 */
export function deferredLog(sink: Log): { log: Log; flush: () => void } {
  let pending: LogEvent[] = [];
  return {
    log: (event) => void pending.push(event),
    flush() {
      const events = pending;
      pending = [];
      for (const event of events) sink(event);
    },
  };
}

/**
 * The fields of a failure in a log event: a BridgeError's code, reason and detail; anything else is ERR_INTERNAL
 * with its name, message and stack (a bug: its message was not written for callers, so it only ever reaches the log).
 */
export function failureFields(error: unknown): { readonly code: string; readonly reason: string; readonly [field: string]: unknown } {
  if (error instanceof BridgeError) return { code: error.code, reason: error.message, ...error.detail };
  if (error instanceof Error) {
    return { code: INTERNAL_ERROR_CODE, reason: `${error.name}: ${error.message}`, ...(error.stack && { stack: error.stack }) };
  }
  return { code: INTERNAL_ERROR_CODE, reason: `non-Error thrown: ${typeof error}` };
}
