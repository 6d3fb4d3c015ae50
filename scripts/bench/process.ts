/** Whole-process measurements for bench/generate.ts: wall time, CPU (user + system) and peak RSS of one command (bench/measure.ts times calls inside one process). */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
}

/** `one`: pinned to the first core (`taskset -c 0`); `two`: both cores of the machine. */
export type Cores = "one" | "two";

/**
 * Runs `command args` to completion under GNU time (`/usr/bin/time`, which waits for the child and reads its
 * rusage: user + system CPU of all its threads and its peak RSS). The wall time is taken around the whole spawn.
 */
export async function measure(command: string, args: readonly string[], cores: Cores, cwd: string): Promise<Sample> {
  const dir = await mkdtemp(join(tmpdir(), "bench-time-"));
  const report = join(dir, "time");
  const timed = ["/usr/bin/time", "-f", "%U %S %M", "-o", report, command, ...args];
  const [program, ...rest] = cores === "one" ? ["taskset", "-c", "0", ...timed] : timed;
  try {
    const start = performance.now();
    await run(program!, rest, { cwd, maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - start;
    const [user, system, rssKb] = (await readFile(report, "utf8")).trim().split(/\s+/).map(Number) as [number, number, number];
    return { wallMs, cpuMs: (user + system) * 1000, rssMb: rssKb / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
