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
      processGroup: Number(fields[2]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return stats;
}
