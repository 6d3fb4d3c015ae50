/**
 * The benchmarks' measuring: wall time of one call, percentiles, calls interleaved so no lane gains from order or
 * drift, and a fixed number of calls at a fixed concurrency, and the load average every bench prints beside its
 * figures. Prints nothing.
 */
import { loadavg } from "node:os";

export type Call = () => Promise<void>;

export interface Figures {
  p50: number;
  p95: number;
  /** Calls per second: of the time spent on that lane when sequential, of the wall time when concurrent. */
  perSecond: number;
}

export async function timed(call: Call): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function figures(samples: readonly number[], wallMs: number): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), perSecond: (samples.length / wallMs) * 1000 };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * `rounds` rounds of one call per lane after `warmup` such rounds, rotating which lane goes first, so none gains from
 * order or drift. Throughput is requests per second of the time spent on that lane.
 */
export async function interleaved<L extends string>(lanes: Record<L, Call>, rounds: number, warmup: number): Promise<Record<L, Figures>> {
  const order = Object.keys(lanes) as L[];
  for (let i = 0; i < warmup; i++) for (const lane of order) await lanes[lane]();
  const samples = new Map<L, number[]>(order.map((lane) => [lane, []]));
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < order.length; j++) {
      const lane = order[(i + j) % order.length]!;
      samples.get(lane)!.push(await timed(lanes[lane]));
    }
  }
  return Object.fromEntries(order.map((lane) => [lane, figures(samples.get(lane)!, sum(samples.get(lane)!))])) as Record<L, Figures>;
}

/** `count` calls, `concurrency` at a time: their latencies and the wall time they took together. */
export async function atConcurrency(call: Call, concurrency: number, count: number): Promise<{ samples: number[]; wall: number }> {
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        samples.push(await timed(call));
      }
    }),
  );
  return { samples, wall: performance.now() - start };
}

/** The 1, 5 and 15 minute load averages: on a shared machine every figure depends on what else runs. */
export function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(2)).join(" ");
}
