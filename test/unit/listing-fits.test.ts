/** listingFits answers what listingSize says about the budget, without writing out a listing far over it. */
import { describe, expect, it } from "vitest";
import type { ListedTool } from "../../scripts/generator/emit/tools.ts";
import { listingFits, listingSize } from "../../scripts/generator/report.ts";

const tool = (name: string, description: string): ListedTool => ({
  name,
  description,
  inputSchema: { type: "object", properties: { q: { type: "string", description: "Query — “quoted”, ünïcödé" } } },
  annotations: { readOnlyHint: true },
});

describe("listingFits", () => {
  it.each<[string, ListedTool[]]>([
    ["no tools", []],
    ["one tool", [tool("one", "A tool.")]],
    ["several tools with multi-byte text", [tool("a", "Ärger"), tool("b", "日本語の説明"), tool("c", "emoji 🚀")]],
  ])("agrees with listingSize at the budget's edge (%s)", (_, listed) => {
    const { tokens } = listingSize(listed);
    expect(listingFits(listed, tokens)).toBe(true);
    expect(listingFits(listed, tokens - 1)).toBe(false);
    expect(listingFits(listed, tokens + 1)).toBe(true);
  });
});
