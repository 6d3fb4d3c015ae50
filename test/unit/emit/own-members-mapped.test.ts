import { describe, expect, it } from "vitest";
import { ownMembersMapped } from "../../../scripts/generator/emit/listing.ts";

/** What the listing and concise.ts made before: Object.fromEntries of the mapped Object.entries. */
const general = (members: object, change: (member: unknown) => unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries(members).map(([name, member]) => [name, change(member)]));

describe("ownMembersMapped", () => {
  const wrap = (member: unknown): unknown => ({ wrapped: member });
  it.each<[string, object]>([
    ["an object", { b: { type: "string" }, a: 1, 2: "two", 10: null }],
    ["an array (its indices become names)", [{ type: "string" }, 2]],
    ["a member named __proto__", JSON.parse('{"__proto__": {"type": "string"}, "x": {}}') as object],
    ["nothing", {}],
  ])("%s: the same names in the same order, each changed", (_, members) => {
    const mapped = ownMembersMapped(members, wrap);
    const want = general(members, wrap);
    expect(Object.keys(mapped)).toEqual(Object.keys(want));
    expect(JSON.stringify(mapped)).toBe(JSON.stringify(want));
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
  });
});
