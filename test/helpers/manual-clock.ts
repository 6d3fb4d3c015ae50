/**
 * A Clock (src/clock.ts) that moves only when a test says so: `advance` fires the timers that fall due, in order.
 * Tests freeze time with it, or advance past a time limit, instead of sleeping or asserting elapsed wall time.
 */
import type { Clock } from "../../src/clock.ts";

interface Timer {
  readonly at: number;
  readonly run: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  readonly #timers = new Set<Timer>();

  constructor(start = 1_800_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, run: () => void): () => void {
    const timer = { at: this.#now + Math.max(0, ms), run };
    this.#timers.add(timer);
    return () => void this.#timers.delete(timer);
  }

  /** Timers set and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing each timer that falls due (earliest first) and letting its effects run. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > until) break;
      this.#timers.delete(next);
      this.#now = next.at;
      next.run();
      await settle();
    }
    this.#now = until;
    await settle();
  }

  /**
   * Settles `promise`, moving time to each timer the code under test waits on while it is pending (a time limit, a
   * wait between attempts): time passes only when nothing else can happen first.
   */
  async runUntilSettled<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let idle = 0; !settled; ) {
      await settle();
      if (settled) break;
      const next = this.#earliest();
      if (next) {
        idle = 0;
        await this.advance(next.at - this.#now);
      } else if (++idle > 200_000) {
        throw new Error("the promise neither settles nor waits on the clock");
      }
    }
    return promise;
  }

  #earliest(): Timer | undefined {
    return [...this.#timers].sort((a, b) => a.at - b.at)[0];
  }

  /** Resolves once the code under test waits on this clock (`count` timers pending), e.g. a request in flight. */
  async waitForTimers(count = 1): Promise<void> {
    for (let turn = 0; this.#timers.size < count; turn += 1) {
      if (turn > 200_000) throw new Error(`no ${count} timer(s) were set on the clock`);
      await settle();
    }
  }
}

/** Lets pending promise callbacks and I/O callbacks run (one macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
