/** TOOLS.md's parameter tables. */
import { describe, expect, it } from "vitest";
import { cell, describeParameter, descriptionCell, emitDocs, markdownText, type CellTexts } from "../../../scripts/generator/emit/docs.ts";
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

describe("TOOLS.md's table cells", () => {
  it("are the three replaces and the trim, skipped for a text with neither a pipe nor a line feed", () => {
    const general = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n\r?\n/g, "<br><br>").replace(/\r?\n/g, " ").trim();
    const pieces = ["|", "\n", "\r", " ", "\t", "\u00a0", "a"];
    let texts = [""];
    let checked = 0;
    for (let length = 0; length <= 6; length++) {
      for (const text of texts) {
        expect(cell(text), JSON.stringify(text)).toBe(general(text));
        checked++;
      }
      texts = texts.flatMap((text) => pieces.map((piece) => text + piece));
    }
    expect(checked).toBe(137257);
  });
});

describe("TOOLS.md's description cell", () => {
  it("is the cell of describeParameter's text, looked up by the description alone or not", () => {
    // Every combination of a description, a default and `deprecated`, present or not and of unusual values, with the
    // cells made once per text shared between them all, as emitDocs shares them between rows.
    const descriptions = [undefined, "", "Plain.", "Either | or.\n\nSecond", 7, null];
    const defaults = [undefined, null, 0, "", "x", [1], { a: 1 }, false];
    const deprecated = [undefined, true, false, "true", 1];
    const cells: CellTexts = new Map();
    let checked = 0;
    for (const description of descriptions) {
      for (const value of defaults) {
        for (const flag of deprecated) {
          const schema: Schema = { type: "string" };
          if (description !== undefined) schema["description"] = description;
          if (value !== undefined) schema["default"] = value;
          if (flag !== undefined) schema["deprecated"] = flag;
          const want = cell(describeParameter(schema));
          expect(descriptionCell(schema, cells), JSON.stringify(schema)).toBe(want);
          expect(descriptionCell(schema, new Map()), JSON.stringify(schema)).toBe(want);
          checked++;
        }
      }
    }
    expect(checked).toBe(240);
  });
});

describe("TOOLS.md's text from its lines", () => {
  it("is what joining, collapsing blank lines and trimming the end gives", () => {
    // Every list of up to four lines from these: blank, whitespace, text, and text with newlines at either end.
    const pieces = ["", " ", "\t\n", "a", "b ", "c\n\n", "\n\nd", "e\n\n\n\nf", "\n", "g\u00a0"];
    let lists: string[][] = [[]];
    for (let length = 1; length <= 4; length++) {
      lists = lists.flatMap((lines) => pieces.map((piece) => [...lines, piece]));
      for (const lines of lists) {
        const want = `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
        expect(markdownText([...lines]), JSON.stringify(lines)).toBe(want);
      }
    }
    expect(markdownText([])).toBe("\n");
  });
});
