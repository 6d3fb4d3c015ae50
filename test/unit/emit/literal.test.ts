import { describe, expect, it } from "vitest";
import { printedLiterals, printKey, printLiteral, printLiteralText, printRootText, textOf, type Printed } from "../../../scripts/generator/emit/literal.ts";
import { encodeParts } from "../../../scripts/generator/stale.ts";

describe("printLiteral", () => {
  it("prints short values on one line with identifier keys unquoted", () => {
    expect(printLiteral({ name: "x", "content-type": "a/b", list: [1, null, true], empty: {} })).toBe(
      '{ name: "x", "content-type": "a/b", list: [1, null, true], empty: {} }',
    );
  });

  it("prints strings as JSON.stringify does, those it escapes and those it does not", () => {
    const strings = ["", "plain", "é😀 ünïcode", 'quote "x"', "back\\slash", "line\nbreak", "tab\t", "\u0000\u001f\u007f", "\u2028\u2029"];
    strings.push("lone \ud800 high", "lone \udfff low", "pair \ud83d\ude00", "end \ud83d", "/slash/ <tag> & 'single'");
    for (let code = 0; code < 0x80; code++) strings.push(`a${String.fromCharCode(code)}b`);
    for (const text of strings) {
      expect(printLiteral(text)).toBe(JSON.stringify(text));
      expect(printLiteral({ text }, "", printedLiterals())).toBe(`{ text: ${JSON.stringify(text)} }`);
    }
  });

  it("prints long strings as JSON.stringify does, each time one is printed again", () => {
    const strings = ['quote "x"', "back\\slash", "line\nbreak", "lone \ud800 high", "pair \ud83d\ude00", "plain", "é😀"];
    const printed = printedLiterals();
    for (const text of strings) {
      for (const length of [63, 64, 65, 200]) {
        const long = text.repeat(Math.ceil(length / text.length)).slice(0, length);
        for (let again = 0; again < 2; again++) {
          expect(printLiteral(long, "", printed)).toBe(JSON.stringify(long));
          expect(printLiteral({ long, list: [long] }, "  ", printed)).toBe(printLiteral({ long, list: [long] }, "  "));
          expect(printLiteral({ long }, "", printed)).toContain(`long: ${JSON.stringify(long)}`);
        }
      }
    }
  });

  it("prints booleans, numbers and null as JSON.stringify does", () => {
    for (const value of [true, false, null, 0, -0, 1.5, -2e-7, 1e21, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity]) {
      expect(printLiteral(value)).toBe(JSON.stringify(value));
      expect(printLiteral([value], "", printedLiterals())).toBe(`[${JSON.stringify(value)}]`);
    }
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

  it("keeps a long shared object's text as a block, whose text and UTF-8 are the printer's, before and after it is written", () => {
    const member = { type: "object", description: "é😀".repeat(40), properties: { name: { type: "string", description: "n".repeat(120) } } };
    const long = { type: "object", properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, member])) };
    const values = [{ a: long, b: { deeper: long } }, { c: long, d: [long, { e: long }] }, long, { a: long, b: { deeper: long } }];
    const printed = printedLiterals();
    const texts: Printed[] = [];
    for (const indent of ["", "  ", "      "]) {
      for (const value of values) {
        const text = printLiteralText(value, indent, printed);
        expect(textOf(text)).toBe(printLiteral(value, indent));
        texts.push(text);
      }
    }
    expect(texts.some((text) => typeof text !== "string")).toBe(true);
    for (let pass = 0; pass < 2; pass++) {
      const chunks: Buffer[] = [];
      encodeParts(texts, (bytes) => void chunks.push(Buffer.from(bytes)), 1000);
      expect(Buffer.concat(chunks).toString("utf8")).toBe(texts.map(textOf).join(""));
      expect(texts.map(textOf).join("")).toBe(["", "  ", "      "].flatMap((indent) => values.map((value) => printLiteral(value, indent))).join(""));
    }
  });

  it("keeps the text of an object given as shared from its first print, and prints the same text as without", () => {
    const shared = { type: "object", properties: { state: { enum: ["open", "closed"], description: "s".repeat(80) } } };
    const values = [{ a: shared, b: { deeper: shared } }, { c: shared }, shared];
    const hinted = printedLiterals([new Set([shared])]);
    const plain = printedLiterals();
    for (const value of values) expect(printLiteral(value, "  ", hinted)).toBe(printLiteral(value, "  ", plain));
    // The text was kept at its first print (a value must not change while in use: this shows which print was kept).
    const first = printedLiterals([new Set([shared])]);
    const unhinted = printedLiterals();
    const before = printLiteral({ c: shared }, "", first);
    printLiteral({ c: shared }, "", unhinted);
    shared.type = "changed";
    expect(printLiteral({ c: shared }, "", first)).toBe(before);
    expect(printLiteral({ c: shared }, "", unhinted)).toContain("changed");
  });

  it("keeps the text of a shared object met inside another one's first print from its second print, and prints the same text", () => {
    const inner = { type: "object", properties: { state: { enum: ["open", "closed"], description: "s".repeat(80) } } };
    const outer = { type: "object", properties: { a: inner, b: { type: "string", description: "b".repeat(70) } } };
    const other = { type: "object", properties: { a: inner } };
    const printed = printedLiterals([new Set([inner, outer, other])]);
    const values = [{ x: outer }, { y: outer }, { z: other }, { x: outer }, { z: other }, { w: { v: { a: inner } } }];
    const texts = values.map((value) => printLiteral(value, "  ", printed));
    expect(texts).toEqual(values.map((value) => printLiteral(value, "  ")));
    expect(printed.text.has(outer) && printed.text.has(other)).toBe(true);
    // Printed inside outer's first print, then inside other's: kept at the second, and only there.
    expect(printed.metInside.has(inner)).toBe(true);
    expect(printed.text.has(inner)).toBe(true);
    expect(printed.keeping).toBe(0);
    // Met at its first print inside outer only: not kept.
    const alone = printedLiterals([new Set([inner, outer])]);
    printLiteral({ x: outer }, "", alone);
    expect(alone.text.has(outer) && !alone.text.has(inner)).toBe(true);
  });

  it("uses a shared object's one-line text kept at one indent at every other indent it fits, and prints it anew where it does not", () => {
    for (const width of [20, 40, 70, 84, 90, 95, 96, 97, 100]) {
      const shared = { name: "n".repeat(width - 20), list: ["a", "b"], empty: {} };
      const printed = printedLiterals([new Set([shared])]);
      const indents = ["", "  ", "        ", "    ", " ".repeat(12), "  ", ""];
      for (const indent of indents) expect(printLiteral({ shared }, indent, printed)).toBe(printLiteral({ shared }, indent));
      let texts = 0;
      for (let kept = printed.text.get(shared); kept !== undefined; kept = kept.next) texts++;
      // One text while the one-line form fits every indent met; more once it does not fit some.
      const fitsAll = printLiteral(shared).length + 2 <= 100 - 14;
      expect(texts === 1).toBe(fitsAll);
    }
    // Deeper than the limit, not even `{}` fits.
    const empty = {};
    const printed = printedLiterals([new Set([empty])]);
    for (const indent of ["", " ".repeat(120), "  "]) expect(printLiteral({ empty }, indent, printed)).toBe(printLiteral({ empty }, indent));
  });

  it("keeps a shared root's text from its second print as a root, and prints roots as printLiteralText does", () => {
    const root = { type: "object", properties: { id: { type: "string", description: "i".repeat(90) } } };
    const inner = root.properties.id;
    const printed = printedLiterals([new Set([root, inner])]);
    const roots: unknown[] = [root, { fresh: inner }, root, "text", 3, null, [root], root];
    for (const value of roots) expect(textOf(printRootText(value, "  ", printed))).toBe(printLiteral(value, "  "));
    expect(printed.metInside.has(root)).toBe(true);
    expect(printed.text.has(root)).toBe(true);
    // Printed once as a root: not kept; its shared member, met at no other print, kept as before.
    const once = printedLiterals([new Set([root, inner])]);
    printRootText(root, "  ", once);
    expect(once.text.has(root)).toBe(false);
    expect(once.text.has(inner)).toBe(true);
  });

  it("takes the members of every shared set as met, whichever set is the largest (copied whole) and in any order", () => {
    const objects = Array.from({ length: 6 }, (_, i) => ({ id: i, note: "n".repeat(70) }));
    const small = new Set<object>([objects[0]!]);
    const large = new Set<object>(objects.slice(1, 4));
    const other = new Set<object>([objects[4]!]);
    for (const sets of [[small, large, other], [large, small, other], [other, small, large]]) {
      const printed = printedLiterals(sets);
      const texts = objects.map((value) => printLiteral({ value }, "", printed));
      for (const value of objects.slice(0, 5)) expect(printed.seen.has(value) && printed.text.has(value)).toBe(true);
      // Not shared: marked at its first print, its text not kept.
      expect(printed.text.has(objects[5]!)).toBe(false);
      expect(texts).toEqual(objects.map((value) => printLiteral({ value })));
    }
  });

  it("indents with the indent given, whatever was printed before at the same indent length", () => {
    const value = { description: "d".repeat(120), nested: { description: "e".repeat(120) } };
    const spaces = printLiteral(value, "  ");
    const tabs = printLiteral(value, "\t ");
    expect(tabs).toBe(spaces.replaceAll("\n  ", "\n\t "));
    expect(tabs.split("\n")[3]).toBe(`\t     description: "${"e".repeat(120)}",`);
  });

  it("prints deep values (deeper than any schema the model keeps) correctly", () => {
    let deep: Record<string, unknown> = { leaf: "x".repeat(120) };
    for (let i = 0; i < 300; i++) deep = { child: deep };
    expect(new Function(`return ${printLiteral(deep)};`)()).toEqual(deep);
  });

  it("puts a value on one line exactly when the earlier printer's one-line form fits, at every length and indent", () => {
    // Lengths swept across the limit at every indent: arrays last (each adds to what the one-line form needs beyond
    // its length), empty objects and arrays, undefined entries, quoted keys, values too deep to fit at all.
    const shapes: ((text: string) => unknown)[] = [
      (text) => ({ a: text, b: [[1]] }),
      (text) => [text, [["y"]]],
      (text) => ({ a: { b: [text, [1]] } }),
      (text) => [{ a: text }],
      (text) => ({ a: [], b: {}, c: text }),
      (text) => ({ "a-b": text, skipped: undefined, c: [[[[]]]] }),
      (text) => [[[[text]]]],
      (text) => ({ list: Array.from({ length: text.length }, () => 1) }),
    ];
    for (const shape of shapes) {
      for (let length = 0; length <= 100; length++) {
        const value = shape("x".repeat(length));
        for (let indent = 0; indent <= 102; indent++) expect(printLiteral(value, " ".repeat(indent))).toBe(earlierPrint(value, " ".repeat(indent)));
      }
    }
  });
});

/** The printer before it printed each value once: the one-line form tried on the whole value first, then its entries. */
function earlierPrint(value: unknown, indent: string): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const flat = earlierFlat(value, 100 - indent.length);
  if (flat !== undefined) return flat;
  const inner = `${indent}  `;
  const array = Array.isArray(value);
  const entries = array
    ? value.map((item) => `${inner}${earlierPrint(item, inner)},`)
    : Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => `${inner}${printKey(key)}: ${earlierPrint(item, inner)},`);
  return `${array ? "[" : "{"}\n${entries.join("\n")}\n${indent}${array ? "]" : "}"}`;
}

function earlierFlat(value: unknown, budget: number): string | undefined {
  if (budget < 0) return undefined;
  if (typeof value === "string" && value.length + 2 > budget) return undefined;
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length <= budget ? text : undefined;
  }
  const array = Array.isArray(value);
  if (array && value.length > 0 && 4 + 3 * value.length > budget) return undefined;
  const keys = array ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  const parts: string[] = [];
  let used = 4;
  for (let i = 0; i < count; i++) {
    const key = keys?.[i];
    const item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (key !== undefined && item === undefined) continue;
    const prefix = key === undefined ? "" : `${printKey(key)}: `;
    const text = earlierFlat(item, budget - used - prefix.length);
    if (text === undefined) return undefined;
    parts.push(prefix + text);
    used += prefix.length + text.length + 2;
    if (used > budget) return undefined;
  }
  if (array) return `[${parts.join(", ")}]`;
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}
