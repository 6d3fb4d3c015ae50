/** Concise tools/list text: prose shrinks, every parameter and constraint stays. */
import { describe, expect, it } from "vitest";
import { conciseInputSchema, conciseInputSchemaBytes, conciseSchemas, conciseSizes, conciseToolDescription, firstParagraph, firstSentence, plainText } from "../../../scripts/generator/emit/concise.ts";

describe("plainText / firstSentence", () => {
  it.each([
    ["links keep their text", "See [the docs](https://docs.example.com/x).", "See the docs."],
    ["html and emphasis go", "<b>Bold</b> and **strong** and __also__", "Bold and strong and also"],
    ["note blocks lose their markers", "> [!NOTE]\n> Careful here.", "Careful here."],
    ["whitespace collapses", "a\n\n  b\tc", "a b c"],
    // plainText skips a rewrite when the text cannot match it; a marker an earlier rewrite makes must still be seen.
    ["tags removed between stars make emphasis", "*<i></i>*bold*<i></i>*", "bold"],
    ["empty links removed between stars make emphasis", "*[](u)*strong*[](u)*", "strong"],
    ["a link's text holds a tag and a quote marker", "[<b>x</b>](u)\n[> y](v)", "x y"],
    ["a tag hides a line's quote marker", "a\n<br>> quoted", "a quoted"],
    ["no markers at all", "  Plain\ttext,  nothing else. ", "Plain text, nothing else."],
    // Whitespace is collapsed only when some would change: each kind alone, and single spaces left as they are.
    ["two spaces collapse", "a  b", "a b"],
    ["a tab collapses", "a\tb", "a b"],
    ["a newline collapses", "a\nb", "a b"],
    ["a no-break space collapses", "a\u00a0b", "a b"],
    ["a line separator collapses", "a\u2028b", "a b"],
    ["single spaces stay", " a b c ", "a b c"],
  ])("%s", (_name, given, want) => {
    expect(plainText(given)).toBe(want);
  });

  it("collapses whitespace as replace(/\\s+/g, \" \") does, for every whitespace character, alone, doubled and beside a space", () => {
    const whitespace = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((c) => /\s/.test(c));
    expect(whitespace.length).toBeGreaterThan(20);
    for (const c of whitespace) {
      for (const text of [`a${c}b`, `a${c}${c}b`, `a ${c}b`, `a${c} b`, `${c}a b${c}`]) expect(plainText(text)).toBe(text.replace(/\s+/g, " ").trim());
    }
  });

  it("collapses mixed runs of whitespace as replace(/\\s+/g, \" \") does (it rewrites only the runs that change)", () => {
    // Every string of up to six characters over words, spaces and other whitespace: runs of each length and mix.
    const alphabet = ["a", " ", "\n", "\t", "\u00a0", "\u2028"];
    let texts = [""];
    for (let length = 1; length <= 6; length++) {
      texts = texts.flatMap((text) => alphabet.map((c) => text + c));
      for (const text of texts) expect(plainText(`x${text}y`)).toBe(`x${text}y`.replace(/\s+/g, " "));
    }
  });

  it("takes the first sentence and cuts long ones at a word boundary", () => {
    expect(firstSentence("The account owner. The name is not case sensitive.", 100)).toBe("The account owner.");
    expect(firstSentence("Version 1.2 of the API is used here. More.", 100)).toBe("Version 1.2 of the API is used here.");
    expect(firstSentence("one two three four five six", 12)).toBe("one two…");
  });
});

describe("conciseToolDescription", () => {
  it("keeps the summary paragraph", () => {
    expect(conciseToolDescription("Create an issue\n\nAny user with pull access can create an issue. [More](https://x).")).toBe("Create an issue");
  });
});

describe("firstParagraph", () => {
  it("is the first piece of split(/\\n\\s*\\n/), on every text of up to six characters from newlines, spaces and letters", () => {
    const pieces = ["\n", "\r", " ", "\t", "\u00a0", "\u2028", "a", "."];
    let texts = [""];
    let checked = 0;
    for (let length = 0; length <= 6; length++) {
      for (const text of texts) {
        expect(firstParagraph(text), JSON.stringify(text)).toBe(text.split(/\n\s*\n/)[0]);
        checked++;
      }
      texts = texts.flatMap((text) => pieces.map((piece) => text + piece));
    }
    expect(checked).toBe(299593);
  });
});

describe("conciseInputSchema", () => {
  it("keeps every property, type, enum, default, required and additionalProperties: false; shortens first-level descriptions; drops nested ones", () => {
    const given = {
      type: "object",
      properties: {
        owner: { type: "string", description: "The account owner of the repository. The name is not case sensitive." },
        state: { type: "string", enum: ["open", "closed"], default: "open", description: "Either `open` or `closed`." },
        rules: {
          type: "array",
          description: "Rules. See [docs](https://x) for more.",
          items: { type: "object", properties: { type: { type: "string", description: "nested prose" } }, required: ["type"], additionalProperties: false },
        },
      },
      required: ["owner"],
      additionalProperties: false,
    };
    expect(conciseInputSchema(given)).toEqual({
      type: "object",
      properties: {
        owner: { type: "string", description: "The account owner of the repository." },
        state: { type: "string", enum: ["open", "closed"], default: "open", description: "Either `open` or `closed`." },
        rules: { type: "array", description: "Rules.", items: { type: "object", properties: { type: { type: "string" } }, required: ["type"], additionalProperties: false } },
      },
      required: ["owner"],
      additionalProperties: false,
    });
  });

  it("makes a part the listing shares concise for the level it is met at: a parameter keeps its description, a nested property loses it", () => {
    const label = { type: "object", description: "A label. Labels group issues.", properties: { name: { type: "string", description: "Its name." } } };
    const made = conciseSchemas(new Set([label]));
    const asParameter = conciseInputSchema({ type: "object", properties: { label } }, made);
    const nested = conciseInputSchema({ type: "object", properties: { issue: { type: "object", properties: { label } } } }, made);
    const again = conciseInputSchema({ type: "object", properties: { label } }, made);
    expect(asParameter["properties"]).toEqual({ label: { type: "object", description: "A label.", properties: { name: { type: "string" } } } });
    expect(nested["properties"]).toEqual({ issue: { type: "object", properties: { label: { type: "object", properties: { name: { type: "string" } } } } } });
    expect(again).toEqual(asParameter);
  });
});

describe("conciseInputSchemaBytes", () => {
  const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
  const shared = { type: "object", description: "Shared — “quoted”. Second sentence.", properties: { deep: { type: "string", description: "dropped" } } };
  const unusual: Record<string, unknown> = {
    type: "object",
    properties: {
      plain: { type: "string", description: "Tab\there, a quote \" and \\ and \u0001. More.", minLength: 1, maximum: 1.5e300 },
      unicode: { type: "string", description: "日本語の説明。 emoji 🚀 \ud800 lone", pattern: "^[ä-ö]+$", format: undefined },
      data: { enum: ["a", 1, null, true, { nested: [undefined] }], default: new Date(0), const: undefined, required: ["x"] },
      dated: { example: new Date(0), examples: [undefined, Number.NaN, -0, Infinity] },
      listed: { type: "array", items: [{ type: "integer" }, shared], properties: [{ type: "string", description: "an array where a map belongs" }] },
      proto: JSON.parse('{"properties": {"__proto__": {"type": "string"}, "2": {"type": "number"}, "1": {"description": "d"}}}'),
      shared,
      again: { type: "object", properties: { shared, more: { type: "object", properties: { shared } } } },
    },
    patternProperties: { "^x-": { type: "string", description: "Pattern. Long." } },
    additionalProperties: false,
    description: "Top. Rest.",
  };

  /** A value of each JSON type but object and array (and some JSON cannot hold) under each kind of keyword. */
  function primitivesEverywhere(): Record<string, unknown> {
    const values = [true, false, null, 0, -0, 1.5e300, Number.NaN, -Infinity, "text", undefined, () => 1, Symbol("s")];
    const keywords = ["type", "description", "enum", "const", "default", "required", "properties", "patternProperties", "items", "uniqueItems", "additionalProperties"];
    const node = (): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      keywords.forEach((keyword, i) => (out[keyword] = values[i % values.length]));
      return out;
    };
    const members = (): Record<string, unknown> => Object.fromEntries(values.map((value, i) => [`m${i}`, value]));
    return { ...node(), properties: { parameter: { ...node(), properties: { nested: { ...node(), properties: members() } } }, bare: true } };
  }

  it.each([
    ["an empty schema", {}],
    ["the schema of the test above", { type: "object", properties: { a: { type: "string", description: "A. B." } }, required: ["a"] }],
    ["escapes, multi-byte text, dates, undefined members, arrays where maps belong, __proto__ and integer names", unusual],
    ["values that are not objects under every kind of keyword, at each level", primitivesEverywhere()],
  ])("is the UTF-8 length of conciseInputSchema's JSON (%s)", (_, schema) => {
    expect(conciseInputSchemaBytes(schema)).toBe(jsonBytes(conciseInputSchema(schema)));
  });

  it("counts a shared part by the level it is met at, as the copy does", () => {
    const sizes = conciseSizes(new Set([shared]));
    const made = conciseSchemas(new Set([shared]));
    for (let i = 0; i < 2; i++) expect(conciseInputSchemaBytes(unusual, sizes)).toBe(jsonBytes(conciseInputSchema(unusual, made)));
  });
});
