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
 * A hook that holds events back while a request is being answered (src/worker.ts: the audit line is written after the
 * answer, not before). `hold()` marks a request open and returns its release, which writes every event held so far,
 * in order, to `sink`. An event with no request open (work a library left running after its answer, or still
 * running once the answer was released) is written at once, so none waits for a request that may never come.
 */
export function deferredLog(sink: Log): { log: Log; hold: () => () => void; waiting: () => boolean } {
  let pending: LogEvent[] = [];
  let open = 0;
  const flush = (): void => {
    const events = pending;
    pending = [];
    for (const event of events) sink(event);
  };
  return {
    log: (event) => (open > 0 ? void pending.push(event) : sink(event)),
    /** Whether any event is held: with none, a request can be released at once, with no task to write them later. */
    waiting: () => pending.length > 0,
    hold() {
      open += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open -= 1;
        flush();
      };
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
