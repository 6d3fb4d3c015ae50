/**
 * node-fetch-lazy.ts stands in for node-fetch-h2 in swagger2openapi and oas-resolver: `require` gives a function,
 * node-fetch-h2 itself is loaded only when it is called, and a call answers what node-fetch-h2's does.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
type Fetch = (url: string, options?: object) => Promise<unknown>;

async function outcome(fetch: Fetch, url: string): Promise<string> {
  try {
    return `resolved ${typeof (await fetch(url))}`;
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe("node-fetch-lazy", () => {
  it("is required as a function and loads node-fetch-h2 only when called", async () => {
    const loaded = () => Object.keys(require.cache).some((file) => file.includes("/node_modules/node-fetch-h2/"));
    expect(loaded()).toBe(false);
    const lazy = require("../../../scripts/generator/emit/node-fetch-lazy.ts") as Fetch;
    expect(typeof lazy).toBe("function");
    expect(loaded()).toBe(false);
    const real = require(require.resolve("node-fetch-h2", { paths: [require.resolve("swagger2openapi")] })) as Fetch;
    // A relative URL is refused before any request is made.
    expect(await outcome(lazy, "relative/path")).toBe(await outcome(real, "relative/path"));
    expect(await outcome(lazy, "relative/path")).toMatch(/absolute/);
  });
});
