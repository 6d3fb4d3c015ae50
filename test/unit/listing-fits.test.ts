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

const listings: [string, ListedTool[]][] = [
  ["no tools", []],
  ["one tool", [tool("one", "A tool.")]],
  ["several tools with multi-byte text", [tool("a", "Ärger"), tool("b", "日本語の説明"), tool("c", "emoji 🚀")]],
  ["escapes and a lone surrogate", [tool('say "hi"\\', "Tab\there\nline \u2028 \ud800 \u0001"), tool("d", "")]],
];

describe("listingSize", () => {
  it.each(listings)("is the UTF-8 length of the listing's JSON, though counted tool by tool (%s)", (_, listed) => {
    expect(listingSize(listed).bytes).toBe(Buffer.byteLength(JSON.stringify({ tools: listed })));
  });
});

describe("listingFits", () => {
  it.each(listings)("agrees with listingSize at the budget's edge (%s)", (_, listed) => {
    const { tokens } = listingSize(listed);
    expect(listingFits(listed, tokens)).toBe(true);
    expect(listingFits(listed, tokens - 1)).toBe(false);
    expect(listingFits(listed, tokens + 1)).toBe(true);
  });
});
