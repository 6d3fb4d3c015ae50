/**
 * The real-world specs the corpus suite runs against: every JSON example of `@readme/oas-examples` (Swagger 2.0,
 * OpenAPI 3.0 and 3.1), one YAML variant per version, Figma's REST API and GitHub's (the large one).
 *
 * Each corpus is generated the way a user would (a bridge.yaml beside the output, see test/helpers/corpus.ts), into
 * `.cache/corpus-out/<group>/<name>/` so suites running at the same time never write into one another's directory.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { githubSpecPath } from "../../scripts/corpus/github-spec.ts";
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

export function corpus(name: string): Corpus {
  const found = CORPORA.find((c) => c.name === name);
  if (!found) throw new Error(`no corpus named ${name}`);
  return found;
}
