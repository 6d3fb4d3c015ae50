/** Argument validation: what a model sends is refused with words that name the parameter, never silently altered. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validateArguments } from "../../../src/tools/arguments.ts";
import type { ToolDefinition } from "../../../src/tools/types.ts";

function toolWith(input: z.ZodType): ToolDefinition {
  return {
    name: "t",
    operationId: "t",
    description: "",
    scopes: [],
    annotations: {},
    inputSchema: { type: "object" },
    input: () => input,
    http: { method: "POST", path: "/t", parameters: [] },
  };
}

const open = z.strictObject({ body: z.looseObject({ a: z.string().optional() }).optional(), labels: z.record(z.string(), z.string()).optional() });

describe("validateArguments: __proto__ keys", () => {
  it.each([
    ["at the top level", '{"__proto__": {"a": "x"}}', 'unknown parameter "__proto__"'],
    ["inside an open object", '{"body": {"a": "x", "__proto__": {"polluted": true}}}', 'unknown parameter "__proto__" in body'],
    ["inside a map", '{"labels": {"__proto__": "x"}}', 'unknown parameter "__proto__" in labels'],
  ])("refuses one %s (zod would drop it without a word)", (_where, json, problem) => {
    expect(validateArguments(toolWith(open), JSON.parse(json))).toEqual({ ok: false, problems: [problem] });
  });

  it("keeps other unknown keys of open objects", () => {
    expect(validateArguments(toolWith(open), { body: { a: "x", extra: 1 } })).toEqual({ ok: true, args: { body: { a: "x", extra: 1 } } });
  });
});
