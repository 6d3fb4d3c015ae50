/** TOOLS.md's parameter tables. */
import { describe, expect, it } from "vitest";
import { emitDocs } from "../../../scripts/generator/emit/docs.ts";
import type { Schema } from "../../../scripts/generator/model/types.ts";
import { todoBridgeYaml, todoModel } from "../discovery/helpers.ts";

describe("TOOLS.md parameter tables", () => {
  it("writes a description that recurs across tools as a one-line cell each time (cells are made once per text)", async () => {
    const model = await todoModel(todoBridgeYaml("mode: static"));
    const awkward = "Either | or.\n\nSecond paragraph\r\nwith a line break.";
    const described = model.tools.filter((tool) => Object.keys((tool.input["properties"] ?? {}) as object).length > 0).slice(0, 3);
    expect(described.length).toBeGreaterThan(1);
    for (const tool of described) {
      for (const property of Object.values(tool.input["properties"] as Record<string, Schema>)) property["description"] = awkward;
    }
    const docs = emitDocs(model);
    const rows = docs.split("\n").filter((line) => line.includes("Either"));
    expect(rows.length).toBeGreaterThan(described.length - 1);
    for (const row of rows) expect(row).toMatch(/\| Either \\\| or\.<br><br>Second paragraph with a line break\.( Default \(applied by the API, not sent\): `[^`]*`\.)? \|$/);
  });
});
