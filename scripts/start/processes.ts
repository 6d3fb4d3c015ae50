/**
 * Child processes of the stack: each in its own process group (`detached`), so stopping it reaches everything it
 * started (wrangler's shim, wrangler, workerd), with every output line prefixed by its name.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { processStats } from "../proc.ts";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  /** Settles when the group leader exits. */
  exited: Promise<Exit>;
  readonly running: boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when no process of the group is left. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group, now. */
  kill(): void;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `[name] line` for every line of `input`, written to `output`, except wrangler's harmless offline noise: the
 * `Request.cf` warning and the stack trace of its failed lookup (REFERENCE "Verified": harmless offline).
 */
export function prefixLines(input: Readable, prefix: string, output: Writable): void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let skippingTrace = false;
  lines.on("line", (line) => {
    if (line.includes("Unable to fetch the `Request.cf` object")) return;
    if (/^Error: getaddrinfo \w+ workers\.cloudflare\.com/.test(line)) {
      skippingTrace = true;
      return;
    }
    if (skippingTrace && /^\s+at /.test(line)) return;
    skippingTrace = false;
    output.write(`${prefix} ${line}\n`);
  });
}

export function startProcess(spec: ProcessSpec): ManagedProcess {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  const pid = child.pid;
  const prefix = `[${spec.name}]`;
  prefixLines(child.stdout, prefix, process.stdout);
  prefixLines(child.stderr, prefix, process.stderr);

  let running = true;
  let gone = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once("error", (error) => {
      process.stderr.write(`${prefix} ${error.message}\n`);
      running = false;
      resolve({ code: null, signal: null });
    });
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };

  return {
    name: spec.name,
    pid,
    exited,
    get running() {
      return running;
    },
    kill: () => {
      // Once stop() saw the group gone, its id may be reused by someone else's group: leave it alone.
      if (!gone) signalGroup("SIGKILL");
    },
    async stop(graceMs = 5_000) {
      signalGroup("SIGTERM");
      const deadline = Date.now() + graceMs;
      // The leader may exit before the rest of its group (workerd): wait for the whole group, not just the leader.
      while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
      if (groupAlive(pid)) signalGroup("SIGKILL");
      while (groupAlive(pid) && Date.now() < deadline + 2_000) await sleep(50);
      if (running) await Promise.race([exited, sleep(1_000)]);
      gone = !groupAlive(pid);
    },
  };
}

/**
 * Whether any live process is left in the group. On Linux this reads /proc and ignores zombies (an orphan's zombie
 * lingers when PID 1 does not reap); elsewhere it asks kill(0).
 */
function groupAlive(pgid: number): boolean {
  const members = linuxGroupMembers(pgid);
  if (members !== undefined) return members > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function linuxGroupMembers(pgid: number): number | undefined {
  return processStats()?.filter((stat) => stat.processGroup === pgid && stat.state !== "Z" && stat.state !== "X").length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
