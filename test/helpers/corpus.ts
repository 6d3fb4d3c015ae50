/**
 * Generates a bridge for a real-world spec into `.cache/corpus-out/<name>/` (git-ignored), the way a user would:
 * a bridge.yaml beside the output pointing at the spec, then the generator.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { corpusBridgeYaml, type CorpusScheme } from "../../scripts/corpus/bridge-yaml.ts";
import { generate, type GenerateResult } from "../../scripts/generator/index.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS_OUT = join(ROOT, ".cache", "corpus-out");

export interface CorpusBridge {
  dir: string;
  result: GenerateResult;
}

export function oasExample(relativePath: string): string {
  return join(ROOT, "node_modules", "@readme", "oas-examples", relativePath);
}

export async function generateCorpus(name: string, specPath: string, extraYaml = ""): Promise<CorpusBridge> {
  const dir = join(CORPUS_OUT, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, "bridge.yaml");
  const apiName = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "");
  await writeFile(configPath, corpusBridgeYaml(apiName, specPath, extraYaml, await nonOAuthSchemes(specPath)));
  const result = await generate({ configPath, outDir: dir });
  for (const file of result.files) await writeFile(join(dir, file.name), file.content);
  return { dir, result };
}

/** The spec's apiKey, HTTP basic and mutual TLS schemes, which a bridge must be told how to satisfy. */
async function nonOAuthSchemes(specPath: string): Promise<Record<string, CorpusScheme>> {
  const text = await readFile(specPath, "utf8");
  type Schemes = Record<string, Record<string, unknown>>;
  const spec = (specPath.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as { securityDefinitions?: Schemes; components?: { securitySchemes?: Schemes } };
  const schemes = spec.securityDefinitions ?? spec.components?.securitySchemes ?? {};
  const found: Record<string, CorpusScheme> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const httpScheme = String(scheme["scheme"] ?? "").toLowerCase();
    if (scheme["type"] === "apiKey") found[name] = "apiKey";
    else if (scheme["type"] === "basic" || (scheme["type"] === "http" && httpScheme === "basic")) found[name] = "basic";
    else if (scheme["type"] === "mutualTLS") found[name] = "mutualTLS";
  }
  return found;
}
