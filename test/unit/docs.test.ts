/**
 * The documentation against the code it describes: every bridge.yaml key the schema accepts (read from the generated
 * JSON Schema, which is derived from the zod schema) has a row in docs/configuration.md and every key documented there
 * exists; every relative link in README.md and docs/ reaches a file, and its #anchor a heading of that file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** What the docs write for a record's keys: `scopes.<scope>`, `tools.overrides.<operationId>`, … */
const RECORD_KEYS: Record<string, string> = { scopes: "<scope>", overrides: "<operationId>", hiddenParameters: "<parameter>" };

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
};

/** Every key path of bridge.yaml: `api.name`, `identity.client.idEnv`, `scopes.<scope>.grantTo.users`, … */
function schemaKeys(node: JsonSchema, path: string[] = [], keys = new Set<string>()): Set<string> {
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) schemaKeys(branch, path, keys);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (path.length === 0 && key === "$schema") continue; // the editor modeline's key, not configuration
    keys.add([...path, key].join("."));
    schemaKeys(child, [...path, key], keys);
  }
  if (typeof node.additionalProperties === "object") {
    const placeholder = RECORD_KEYS[path.at(-1) ?? ""];
    if (placeholder) schemaKeys(node.additionalProperties, [...path, placeholder], keys);
  }
  if (node.items) schemaKeys(node.items, path, keys);
  return keys;
}

/** The first cell of each table row in the "Keys" part of docs/configuration.md, without its backticks. */
function documentedKeys(markdown: string): Set<string> {
  const keysPart = markdown.slice(markdown.indexOf("\n## Keys"), markdown.indexOf("\n## ", markdown.indexOf("\n## Keys") + 1));
  const keys = new Set<string>();
  for (const [, key] of keysPart.matchAll(/^\| `([^`]+)` \|/gm)) keys.add(key!);
  return keys;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    slugs.add(heading!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replaceAll(" ", "-"));
  }
  return slugs;
}

describe("docs/configuration.md", () => {
  const schema = JSON.parse(read("generated/bridge.schema.json")) as JsonSchema;
  const inSchema = schemaKeys(schema);
  const inDocs = documentedKeys(read("docs/configuration.md"));

  it("documents every key bridge.yaml accepts", () => {
    expect(inSchema.size).toBeGreaterThan(50);
    expect([...inSchema].filter((key) => !inDocs.has(key))).toEqual([]);
  });

  it("documents no key the schema does not have", () => {
    expect([...inDocs].filter((key) => !inSchema.has(key))).toEqual([]);
  });
});

describe("links in README.md and docs/", () => {
  const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

  it.each(pages)("%s: every relative link reaches a file, and its anchor a heading", (page) => {
    const broken: string[] = [];
    for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      const [path, anchor] = target!.split("#") as [string, string | undefined];
      const file = path === "" ? page : join(dirname(page), path);
      if (!existsSync(join(ROOT, file))) {
        broken.push(`${target}: no file ${file}`);
        continue;
      }
      if (anchor !== undefined && !anchors(read(file)).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${file}`);
    }
    expect(broken).toEqual([]);
  });
});

describe("docs/configuration.md: the generator's rule codes", () => {
  // Every code a bridge.yaml diagnostic can carry (scripts/generator), so a new rule cannot ship undocumented.
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) for (const [, code] of read(path).matchAll(/"(BRIDGE_[A-Z_]+[A-Z])"/g)) codes.add(code!);
    }
  };
  walk("scripts/generator");
  const documented = read("docs/configuration.md");

  it("lists every code the generator reports", () => {
    expect(codes.size).toBeGreaterThan(30);
    expect([...codes].filter((code) => !documented.includes(code)).sort()).toEqual([]);
  });
});
