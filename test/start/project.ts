/**
 * `npm start` as a user runs it, in a copy of the project (what a fresh clone has, node_modules linked), so the tests
 * may edit bridge.yaml or the spec and never touch the working tree's generated/ or npm start's state (`.cache/start/`
 * with the Workers' storage and `.dev.vars`): each copy has its own.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { isPortFree } from "../../scripts/start/ports.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PORTS = [9031, 8787, 8788];

/** What npm start needs of the project (tests, docs and the working tree's caches are left out). */
const ENTRIES = ["package.json", ".npmrc", "bridge.yaml", "wrangler.jsonc", "tsconfig.json", "openapi", "generated", "src", "scripts", "examples", "types"];

/** A fresh copy of the project in a temporary directory. */
export async function copyProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "npm-start-"));
  for (const entry of ENTRIES) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => basename(source) !== ".wrangler" });
  }
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `command` in `cwd` in its own process group, as a terminal runs a foreground job: a Ctrl-C there is SIGINT to
 * the whole group (see `ctrlC`).
 */
export function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, START_TIMEOUT_MS: "45000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

/** `npm start` (through npm, as the README says) in `cwd`. */
export function npmStart(cwd: string, ...args: string[]): Run {
  return run(cwd, "npm", ["start", ...(args.length ? ["--", ...args] : [])]);
}

/** What a terminal does on Ctrl-C: SIGINT to the foreground process group (npm and what it runs). */
export function ctrlC(started: Run): void {
  process.kill(-(started.child.pid as number), "SIGINT");
}

export async function waitForOutput(started: Run, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function exitWithin(started: Run, ms: number) {
  return Promise.race([started.exit, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);
}

/** Every descendant of `pid` (from ps), to check none outlives the stack. */
export function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false; // ps exits 1 when the pid is gone
  }
}

/** Ctrl-C: exit 0 within 8 s, no descendant left, every fixed port free again. */
export async function expectCleanCtrlC(started: Run): Promise<void> {
  const children = descendants(started.child.pid as number);
  ctrlC(started);
  const exit = await exitWithin(started, 8_000);
  expect(exit, started.output().slice(-2000)).toEqual({ code: 0, signal: null });
  expect(started.output()).toContain("[start] stopped");
  expect(children.filter(alive)).toEqual([]);
  for (const port of PORTS) expect(await isPortFree(port), `port ${port} after stop`).toBe(true);
}

/** The command lines of every process on this machine (what `ps` shows any local user). */
export async function commandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline) lines.push(cmdline.replaceAll("\0", " "));
  }
  return lines;
}

/** The values of a dotenv file (`NAME="value"` lines), and its permission bits. */
export async function readDevVars(path: string): Promise<{ values: Record<string, string>; mode: number }> {
  const values: Record<string, string> = {};
  for (const [, name, value] of (await readFile(path, "utf8")).matchAll(/^([A-Z_][A-Z0-9_]*)="([^"]*)"$/gm)) values[name!] = value!;
  return { values, mode: (await stat(path)).mode & 0o777 };
}
