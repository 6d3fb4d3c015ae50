import { describe, expect, it } from "vitest";
import { tools } from "../../../generated/tools.ts";
import { searchAnswer, type Listed } from "../../../src/discovery/answers.ts";
import { indexTerm, queryTerm, tokenize } from "../../../src/discovery/terms.ts";

const names = { describe: "describe_operation", call: "call_operation" };
const listed: Listed[] = Array.from({ length: 30 }, (_, i) => ({
  tool: { ...tools[i % tools.length]!, name: `operation_${i}` },
  hit: { name: `operation_${i}`, summary: "A summary of what the operation does, long enough to weigh something in the answer.", score: 30 - i },
  missing: [],
}));

describe("searchAnswer", () => {
  it("returns the best `limit` hits and counts the rest", () => {
    const answer = JSON.parse(searchAnswer("q", listed, 3, 1500, names));
    expect(answer.operations.map((op: { name: string }) => op.name)).toEqual(["operation_0", "operation_1", "operation_2"]);
    expect(answer.more).toBe(27);
    expect(answer.note).toBe("Call describe_operation with a name for its parameters, then call_operation.");
  });

  it("returns fewer hits rather than pass the token budget (4 bytes a token)", () => {
    const text = searchAnswer("q", listed, 25, 300, names);
    const answer = JSON.parse(text);
    expect(Buffer.byteLength(text) / 4).toBeLessThanOrEqual(300);
    expect(answer.operations.length).toBeGreaterThan(1);
    expect(answer.operations.length).toBeLessThan(25);
    expect(answer.more).toBe(30 - answer.operations.length);
  });

  it("says so when nothing matched", () => {
    expect(JSON.parse(searchAnswer("zzz", [], 8, 1500, names))).toEqual({ query: "zzz", operations: [], note: "No operation matched: try other words, e.g. the kind of thing it acts on." });
  });
});

describe("terms", () => {
  it("split camelCase, snake_case and paths", () => {
    expect(tokenize("listWorkflowRuns for /repos/{owner}/actions_runs")).toEqual(["list", "Workflow", "Runs", "for", "repos", "owner", "actions", "runs"]);
    expect(tokenize("getHTTPResponse")).toEqual(["get", "HTTP", "Response"]);
  });

  it.each([
    ["", []],
    [" -/ ", []],
    ["word", ["word"]],
    ["(leading and trailing)", ["leading", "and", "trailing"]],
    ["  Ünïcödé 日本語 — ok!", ["Ünïcödé", "日本語", "ok"]],
    ["a\n\n b", ["a", "b"]],
  ])("tokenize(%j) gives only words, whatever separators start or end the text", (text, words) => {
    expect(tokenize(text)).toEqual(words);
    expect(tokenize(text)).toEqual(text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== ""));
  });

  it("stems, drops function words and adds synonyms when indexing", () => {
    expect(["Closing", "the", "Issues"].map(queryTerm)).toEqual(["close", null, "issu"]);
    expect(indexTerm("authenticated")).toEqual(["authent", "my", "me"]);
    expect(indexTerm("Deleting")).toEqual(["delet", "remov"]);
  });
});
