import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { serializedSearchIndex } from "../../../scripts/generator/emit/search-index-json.ts";
import { INDEX_OPTIONS } from "../../../src/discovery/terms.ts";

const options = { ...INDEX_OPTIONS, fields: ["name", "text", "tags"], storeFields: ["summary"] };

/** Terms first met in a later field, repeated in one field and across documents, empty and missing fields, synonyms. */
const documents = [
  { id: "list_issues", name: "list_issues listIssues", text: "Lists issues. Issues are listed.", tags: "", summary: "Lists issues" },
  { id: "create_issue", name: "create_issue", text: "Create an issue, or open a new one", tags: "issues create", summary: "" },
  { id: "zeta", name: "zeta", text: "Zebra zeal zealous issue", summary: "z" },
  { id: "alpha", name: "alpha alphabet zeal", text: "", tags: "alpha issues zeal" },
];

function miniSearchJson(docs: readonly Record<string, unknown>[]): string {
  const index = new MiniSearch(options);
  index.addAll(docs);
  return JSON.stringify(index);
}

describe("serializedSearchIndex", () => {
  it("gives MiniSearch's own serialisation, byte for byte", () => {
    expect(serializedSearchIndex(options, documents)).toBe(miniSearchJson(documents));
  });

  it("counts a text met again in a field for each document that holds it, and apart in another field", () => {
    const repeated = [
      { id: "a", name: "issues", text: "Lists the issues. Issues repeat.", tags: "issues", summary: "" },
      { id: "b", name: "issues", text: "Lists the issues. Issues repeat.", tags: "zebra", summary: "" },
      { id: "c", name: "zebra issues", text: "issues", tags: "issues", summary: "" },
      { id: "d", name: "issues", text: "Lists the issues. Issues repeat.", tags: "issues", summary: "" },
    ];
    expect(serializedSearchIndex(options, repeated)).toBe(miniSearchJson(repeated));
  });

  it("counts a field's distinct tokens and each term's occurrences as MiniSearch does (case, stop words, synonyms, terms from several words)", () => {
    const wordy = [
      // "Issues" and "issues" are two tokens of one term; "the" counts as a token but adds no term; "create" brings its
      // synonyms ("new", "add", "open", ...), which also occur as words of their own, in one text and across texts.
      { id: "a", name: "Issues issues ISSUES issue", text: "Create a new issue. The issue is new; add it, open it, create it.", tags: "the the", summary: "" },
      { id: "b", name: "create new", text: "new new new create", tags: "", summary: "" },
      { id: "c", name: "Issues issues ISSUES issue", text: "Create a new issue. The issue is new; add it, open it, create it.", tags: "the", summary: "" },
      { id: "d", name: "open", text: "", tags: "create create new", summary: "" },
    ];
    expect(serializedSearchIndex(options, wordy)).toBe(miniSearchJson(wordy));
  });

  it("loads back into MiniSearch and finds what MiniSearch's own index finds", () => {
    const loaded = MiniSearch.loadJSON(serializedSearchIndex(options, documents), options);
    expect(loaded.search("open issue").map((hit) => hit.id)).toEqual(MiniSearch.loadJSON(miniSearchJson(documents), options).search("open issue").map((hit) => hit.id));
  });

  it("as a string literal, is JSON.stringify of the serialisation (quotes, backslashes, controls, non-Latin-1, lone surrogates)", () => {
    const awkward = [
      ...documents,
      { id: 'say "hi"\\', name: "quote", text: "Tab\there, line\nbreak … \u2028 \ud83d\ude00 done", summary: 'A "quoted" \\ summary… \ud800 lone' },
      { id: "\udc00", name: "surrogate", text: "Ünïcödé wörds 𝐀𝐁", summary: "\u0001" },
    ];
    expect(serializedSearchIndex(options, awkward, true)).toBe(JSON.stringify(miniSearchJson(awkward)));
    expect(serializedSearchIndex(options, awkward)).toBe(miniSearchJson(awkward));
  });

  it("lets go of one build's structures without touching the next build's (each build its own, the same bytes again)", () => {
    // letGo empties every term's postings once the text is made, with one shared empty array: a build that went on
    // adding to postings after that would write into it (it is frozen, so it would throw) or give other bytes here.
    const first = serializedSearchIndex(options, documents, true);
    const wordy = [{ id: "x", name: "issues create", text: "Create a new issue. Issues repeat.", tags: "issues", summary: "" }];
    expect(serializedSearchIndex(options, wordy)).toBe(miniSearchJson(wordy));
    expect(serializedSearchIndex(options, documents, true)).toBe(first);
    expect(serializedSearchIndex(options, documents)).toBe(miniSearchJson(documents));
  });

  it("refuses a duplicate or missing id as MiniSearch does", () => {
    expect(() => serializedSearchIndex(options, [documents[0]!, documents[0]!])).toThrow("MiniSearch: duplicate ID list_issues");
    expect(() => serializedSearchIndex(options, [{ name: "x" }])).toThrow('MiniSearch: document does not have ID field "id"');
  });
});
