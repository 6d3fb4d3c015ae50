/**
 * Time, injected: token validators, caches and time limits take a Clock from their options, so tests freeze or
 * advance it instead of sleeping, asserting elapsed wall time or faking the global Date and timers.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `run` once `ms` milliseconds have passed; returns the function that cancels it. */
  setTimer(ms: number, run: () => void): () => void;
}

/** The Worker's own clock and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, run) {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
};

/** Resolves once `ms` milliseconds have passed on `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => void clock.setTimer(ms, resolve));
}

/**
 * Runs `task` with a signal that aborts once `ms` milliseconds have passed on `clock` (with a TimeoutError, as
 * AbortSignal.timeout does), and stops the timer when the task ends, so none outlives it. An AbortController held by
 * its timer rather than AbortSignal.timeout(): Node keeps a timeout signal only weakly, and one referenced only by a
 * Request's derived signal can be collected before it fires (the request then hangs).
 */
export async function withTimeout<T>(clock: Clock, ms: number, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cancel = clock.setTimer(ms, () => controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError")));
  try {
    return await task(controller.signal);
  } finally {
    cancel();
  }
}
