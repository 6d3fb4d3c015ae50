/**
 * The tools/list size `generate` reports is what the real server sends: a bridge generated from a real spec, served
 * in process (createBridge with the generated tools, policy and config), listed by a caller allowed every tool. Under
 * `descriptions: auto` over budget, the served listing is the concise one the report measured.
 */
import { describe, expect, it } from "vitest";
import { servedListing } from "../../scripts/bench/served-listing.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";
import { generateCorpus, oasExample } from "../helpers/corpus.ts";

interface Served {
  reported: { bytes: number; text: string };
  /** The `result` of tools/list exactly as the server serialised it. */
  result: string;
  tools: readonly ToolDefinition[];
}

async function serve(name: string, spec: string, tools: string): Promise<Served> {
  const { dir, result } = await generateCorpus(`listing-size/${name}`, oasExample(spec), tools);
  const served = await servedListing(dir);
  expect(JSON.parse(served.result).tools).toHaveLength(served.discovery ? 3 : served.tools.length);
  // In discovery mode the server lists its three tools, whose size the report gives as the mode's listing.
  const listing = served.discovery ? result.report.mode.listing! : result.report.listing;
  return { reported: { bytes: listing.bytes, text: result.report.text }, result: served.result, tools: served.tools };
}

describe("the reported tools/list size", () => {
  // petstore-expanded answers with `allOf` objects (the SDK adds `type: "object"` to such output roots); train-travel
  // is OpenAPI 3.1 with shared components.
  it.each([
    ["petstore-expanded", "3.0/json/petstore-expanded.json"],
    ["train-travel", "3.1/json/train-travel.json"],
  ])("equals the bytes served with full descriptions (%s)", async (name, spec) => {
    const served = await serve(`full-${name}`, spec, "tools: { descriptions: full }");
    expect(served.reported.text).toBe("full");
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
  });

  it("equals the bytes served when `auto` picks concise text, and the served text is the concise one", async () => {
    const served = await serve("auto-concise", "3.0/json/petstore-expanded.json", "tools: { mode: static, descriptions: auto, listBudgetTokens: 200 }");
    expect(served.reported.text).toBe("concise");
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
    // petstore-expanded's findPets has a multi-paragraph description; concise keeps only its first sentence.
    const listed = JSON.parse(served.result).tools as { name: string; description: string; title?: string }[];
    const findPets = listed.find((tool) => tool.name === "find_pets")!;
    expect(findPets.description).not.toContain("\n");
    expect(findPets.title).toBeUndefined();
  });

  it("equals the bytes served in discovery mode (auto over budget lists the three discovery tools)", async () => {
    const served = await serve("auto-discovery", "3.0/json/petstore-expanded.json", "tools: { mode: auto, listBudgetTokens: 200 }");
    expect(JSON.parse(served.result).tools.map((tool: { name: string }) => tool.name)).toEqual(["search_operations", "describe_operation", "call_operation"]);
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
  });
});
