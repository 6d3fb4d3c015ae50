import { describe, expect, it } from "vitest";
import { plainText } from "../../../scripts/generator/emit/concise.ts";
import { descriptionBody } from "../../../scripts/generator/emit/search-index.ts";

/** What searchDocument took as the text after the summary before descriptionBody: the paragraphs split and joined. */
function splitAndJoined(tool: { title?: string; description: string }): string {
  const paragraphs = tool.description.split(/\n\s*\n/);
  return tool.title !== undefined && paragraphs[0]!.trim() === tool.title ? paragraphs.slice(1).join("\n\n") : tool.description;
}

/** Paragraph breaks of every shape, and what plainText rewrites next to them or across them. */
const PIECES = [
  "Lists", "issues", " ", "  ", ".", "\n", "\n\n", "\n  \n", " \n\t\n ", "\r\n\r\n", "\n\n\n", "\n\u00a0\n", "\u2028", "\u00a0",
  "> ", ">", "> [!NOTE] ", "\n> quoted", "[link\n\ntext](https://x.test/a)", "[a](b\n\nc)", "![img](u)", "<b>", "</b>",
  "<a\n\nhref=x>", "**bold**", "**", "__x__", "__", "e.g. ", "Title",
];

/** A small deterministic generator (mulberry32), so that a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("descriptionBody", () => {
  it("gives the text the paragraphs' split and join gave, once plainText has made it plain (and blank alike)", () => {
    for (let seed = 1; seed <= 4000; seed++) {
      const next = random(seed);
      const parts: string[] = [];
      const count = 1 + Math.floor(next() * 14);
      for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(next() * PIECES.length)]!);
      const description = parts.join("");
      // A title that is the first paragraph (as describe() makes it), one that is not, and none.
      const firstParagraph = description.split(/\n\s*\n/)[0]!.trim();
      for (const title of [firstParagraph, "Title", undefined]) {
        const tool = { title, description };
        const body = descriptionBody(tool);
        const expected = splitAndJoined(tool);
        expect(plainText(body), `seed ${seed}, title ${JSON.stringify(title)}: ${JSON.stringify(description)}`).toBe(plainText(expected));
        expect(body.trim() === "").toBe(expected.trim() === "");
      }
    }
  });

  it("is what follows the summary's paragraph, or the whole description when it does not start with the summary", () => {
    expect(descriptionBody({ title: "Get a repo", description: "Get a repo\n\nThe repo.\n\n  More." })).toBe("The repo.\n\n  More.");
    expect(descriptionBody({ title: "Get a repo", description: "Get a repo" })).toBe("");
    expect(descriptionBody({ title: "Other", description: "Get a repo\n\nThe repo." })).toBe("Get a repo\n\nThe repo.");
    expect(descriptionBody({ description: "Get a repo\n\nThe repo." })).toBe("Get a repo\n\nThe repo.");
  });
});
