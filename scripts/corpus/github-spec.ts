/**
 * GitHub's OpenAPI description (OpenAPI 3.0.3, ~1,200 operations, ~13 MB) as a large real-world test and benchmark
 * input. It ships in the npm package `@octokit/openapi`, which is too big to be a dependency, so it is fetched on
 * first use with `npm pack` and cached under `.cache/corpus/` (git-ignored).
 *
 *   node scripts/corpus/github-spec.ts   # prints the path, downloading the spec if needed
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { acceptOnlyHelp } from "../usage.ts";
import { CORPUS_CACHE, packageFiles } from "./npm-package.ts";

/** Pinned so tests and benchmark numbers stay comparable; bump deliberately (`npm view @octokit/openapi version`). */
const VERSION = "23.0.2";

/** Absolute path to GitHub's `api.github.com.json`, downloaded into the cache on first use. */
export function githubSpecPath(): Promise<string> {
  return packageFiles({
    name: "@octokit/openapi",
    version: VERSION,
    // The one file needed out of the tarball: the package holds many other large files.
    member: "package/generated/api.github.com.json",
    target: join(CORPUS_CACHE, `octokit-openapi-${VERSION}`, "api.github.com.json"),
  });
}

// `import.meta.main` needs Node 22.18; compare paths so the CLI also works on the oldest Node the engines allow.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  acceptOnlyHelp("usage: node_modules/.bin/node scripts/corpus/github-spec.ts\n\nFetches GitHub's REST API description once (npm pack @octokit/openapi) into .cache/corpus/ and prints its path.");
  console.log(await githubSpecPath());
}
