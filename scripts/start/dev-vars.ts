/**
 * Secrets for a `wrangler dev` child, in a dotenv file passed with `--env-file` (the Workers convention for local
 * secrets, `.dev.vars`), instead of `--var NAME:value` on its command line, which every local user can read in `ps`
 * or /proc. The file is written owner-only in npm start's state folder (git-ignored), and replaced on every start.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export async function writeDevVars(path: string, values: Readonly<Record<string, string>>): Promise<void> {
  const lines = Object.entries(values).map(([name, value]) => {
    // Values are ids and base64url secrets; anything a dotenv parser would read differently is a bug here.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /["\\\r\n]/.test(value)) throw new Error(`cannot write ${name} to ${path}`);
    return `${name}="${value}"`;
  });
  await mkdir(dirname(path), { recursive: true });
  // A file left by an earlier run may have other permissions: write a new one.
  await rm(path, { force: true });
  await writeFile(path, `# Written by npm start on every run: secrets of the local stack.\n${lines.join("\n")}\n`, { mode: 0o600 });
}
