/**
 * Hands a generated tool's precomputed JSON Schema to the MCP SDK as a Standard Schema: tools/list shows the
 * generator's schema as is (no conversion per request), and validation is left to the tool call pipeline, which
 * names the wrong parameter in words a model can act on (src/tools/arguments.ts).
 */
import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import type { JsonSchema } from "../tools/types.ts";

const cache = new WeakMap<JsonSchema, StandardSchemaWithJSON>();

export function listedSchema(schema: JsonSchema): StandardSchemaWithJSON {
  let standard = cache.get(schema);
  if (!standard) {
    const json = schema as Record<string, unknown>;
    standard = {
      "~standard": {
        version: 1,
        vendor: "mcp-identity-bridge",
        // Accept as is here; the pipeline validates with the generated zod schema before anything is sent.
        validate: (value: unknown) => ({ value }),
        jsonSchema: { input: () => json, output: () => json },
      },
    };
    cache.set(schema, standard);
  }
  return standard;
}
