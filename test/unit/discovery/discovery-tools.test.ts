import { describe, expect, it } from "vitest";
import { z } from "zod";
import { callInput, describeInput, searchInput } from "../../../src/mcp/discovery-inputs.ts";
import { INPUT_SCHEMAS } from "../../../src/mcp/discovery-tools.ts";

/** What tools/list showed before the schemas were written out: z.toJSONSchema of the input, less its `$schema`. */
function converted(input: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(input) as Record<string, unknown>;
  return rest;
}

describe("the discovery tools' input schemas", () => {
  it.each([
    ["search", searchInput],
    ["describe", describeInput],
    ["call", callInput],
  ] as const)("%s: are z.toJSONSchema of the input the tool validates with, key order included", (name, input) => {
    // As JSON text: tools/list serves these bytes, and the generator measures the listing by them.
    expect(JSON.stringify(INPUT_SCHEMAS[name])).toBe(JSON.stringify(converted(input)));
  });
});
