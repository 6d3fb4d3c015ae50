import { describe, expect, it } from "vitest";
import { printedLiterals, printLiteral } from "../../../scripts/generator/emit/literal.ts";

describe("printLiteral", () => {
  it("prints short values on one line with identifier keys unquoted", () => {
    expect(printLiteral({ name: "x", "content-type": "a/b", list: [1, null, true], empty: {} })).toBe(
      '{ name: "x", "content-type": "a/b", list: [1, null, true], empty: {} }',
    );
  });

  it("breaks long values one entry per line, indented, and is valid JavaScript that round-trips", () => {
    const value = { description: "d".repeat(90), nested: { items: Array.from({ length: 30 }, (_, i) => i) }, skipped: undefined };
    const text = printLiteral(value);
    expect(text.split("\n")[1]).toBe(`  description: "${"d".repeat(90)}",`);
    expect(text).not.toContain("skipped");
    expect(new Function(`return ${text};`)()).toEqual({ description: value.description, nested: value.nested });
  });

  it("prints an object shared by several values the same wherever it appears, at each indent", () => {
    const shared = { type: "object", properties: { state: { enum: ["open", "closed"], description: "s".repeat(80) } } };
    const values = [{ a: shared, b: { deeper: shared } }, { c: shared }, shared, { a: shared, b: { deeper: shared } }];
    const printed = printedLiterals();
    for (const indent of ["", "  ", "      "]) {
      for (const value of values) expect(printLiteral(value, indent, printed)).toBe(printLiteral(value, indent));
    }
  });

  it("prints deep values (deeper than any schema the model keeps) correctly", () => {
    let deep: Record<string, unknown> = { leaf: "x".repeat(120) };
    for (let i = 0; i < 300; i++) deep = { child: deep };
    expect(new Function(`return ${printLiteral(deep)};`)()).toEqual(deep);
  });
});
