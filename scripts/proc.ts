/**
 * Processes as Linux's /proc shows them: the dev tooling's way to see a whole process group (wrangler, its shim and
 * workerd) without depending on `ps`. Undefined where there is no /proc.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessStat {
  pid: number;
  /** The executable's name (`comm`, at most 15 characters). */
  name: string;
  /** R, S, D, Z (zombie), X (dead), … */
  state: string;
  parentPid: number;
  processGroup: number;
  /** User + system CPU time so far, in clock ticks (see `clockTicksPerSecond`). */
  cpuTicks: number;
}

/** Every process /proc lists now; undefined when /proc cannot be read (not Linux). */
export function processStats(): ProcessStat[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const stats: ProcessStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let line: string;
    try {
      line = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp … utime stime …" (proc(5)): comm may hold spaces and parentheses, so the fields
    // are counted from the last ")".
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
    stats.push({
      pid: Number(entry),
      name: line.slice(line.indexOf("(") + 1, line.lastIndexOf(")")),
      state: fields[0] ?? "",
      parentPid: Number(fields[1]),
      processGroup: Number(fields[2]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return stats;
}

/**
 * Time a process's threads have spent on a CPU so far, in nanoseconds: the sum of the first field of each
 * /proc/<pid>/task/<tid>/schedstat (proc(5)), which the kernel keeps at nanosecond precision where `stat`'s
 * utime + stime count 10 ms ticks. Threads that have exited are not counted (workerd's are long-lived). Undefined
 * when /proc cannot tell.
 */
export function threadCpuNanos(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const task of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread exited meanwhile
    }
  }
  return total;
}
