/**
 * `generated/bridge.schema.json`: the JSON Schema of bridge.yaml, for editors. bridge.yaml points at it with
 * `# yaml-language-server: $schema=./generated/bridge.schema.json` and gets completion, hover docs and squiggles.
 * Derived from `bridgeConfigSchema`, so it never drifts from what the generator accepts.
 */
import { z } from "zod";
import { bridgeConfigSchema } from "../config/schema.ts";

/** An identifier, not a location: editors find the file through the path in the modeline. */
export const BRIDGE_SCHEMA_ID = "urn:mcp-identity-bridge:bridge.schema.json";

export function emitBridgeSchema(): string {
  const { $schema, ...body } = z.toJSONSchema(bridgeConfigSchema, {
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
