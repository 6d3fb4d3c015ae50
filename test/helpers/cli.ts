/** Runs the project's CLIs the way a user does (a fresh Node process), capturing exit code and output. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./corpus.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: readonly string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, "scripts", script), ...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
