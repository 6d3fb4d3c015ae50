/**
 * `generated/bridge.schema.json`: the JSON Schema of bridge.yaml, for editors. bridge.yaml points at it with
 * `# yaml-language-server: $schema=./generated/bridge.schema.json` and gets completion, hover docs and squiggles.
 * Derived from `bridgeConfigSchema`, so it never drifts from what the generator accepts.
 *
 * The same bytes every run from our code alone, so they are kept between runs (`<cacheDir>/bridge-schema/<key>.json`:
 * the folder api.ts is kept in, off with it under --no-cache). `z.toJSONSchema` costs 6–13 ms of CPU per run, the
 * lookup well under one. The key is a SHA-256 of everything the file depends on: this module's source,
 * config/schema.ts's (which imports nothing but zod; a test holds it to that) and zod's package.json. A changed source
 * is a new key, so `--check` still compares against the file this code makes.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";
import { writeWhole } from "../caches.ts";
import { bridgeConfigSchema } from "../config/schema.ts";

/** An identifier, not a location: editors find the file through the path in the modeline. */
export const BRIDGE_SCHEMA_ID = "urn:mcp-identity-bridge:bridge.schema.json";

/** The modules whose source decides the file (with zod's version). */
export const SCHEMA_SOURCES = [new URL(import.meta.url), new URL("../config/schema.ts", import.meta.url)];

/** The file's text, from `cacheDir` when it holds it for this code; none: always rendered. */
export function emitBridgeSchema(cacheDir?: string): string {
  if (cacheDir === undefined) return renderBridgeSchema();
  const file = join(cacheDir, "bridge-schema", `${bridgeSchemaKey()}.json`);
  try {
    const kept = readFileSync(file, "utf8");
    // Written whole or not at all (below); the check only guards against a file edited by hand.
    if (kept.endsWith("}\n")) return kept;
  } catch {
    // Not kept yet (or unreadable): rendered and kept below.
  }
  const text = renderBridgeSchema();
  keep(file, text);
  return text;
}

function renderBridgeSchema(): string {
  const { $schema, ...body } = z.toJSONSchema(bridgeConfigSchema(), {
    // The file as the user writes it: keys with defaults are optional, not required.
    io: "input",
    // yaml-language-server (VS Code's YAML extension) validates with draft-07; for this schema the draft-07 and
    // 2020-12 outputs differ only in `$schema`, so this costs nothing and avoids "unsupported draft" in editors.
    target: "draft-7",
  });
  // `$schema`, `$id` and `title` first, for people reading the file; the rest keeps the schema's own order, which
  // is fixed by the source, so the output is byte-for-byte stable.
  const document = { $schema, $id: BRIDGE_SCHEMA_ID, title: "bridge.yaml", ...body };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function bridgeSchemaKey(): string {
  const hash = createHash("sha256");
  for (const file of [...SCHEMA_SOURCES, createRequire(import.meta.url).resolve("zod/package.json")]) hash.update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** Removes the entries of earlier code (one is made only when the schema's code changes), then writes this one whole. */
function keep(file: string, text: string): void {
  const dir = dirname(file);
  try {
    for (const name of readdirSync(dir)) if (name.endsWith(".json")) rmSync(join(dir, name), { force: true });
  } catch {
    // No folder yet: writeWhole makes it.
  }
  writeWhole(file, text);
}
