/**
 * config/simple-yaml.ts against yaml: whenever it reads a text, the value is yaml's (keys in the same order) and every
 * position config/load.ts's walk gives (locate, locateKey, written) is the one it gives in yaml's document.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { ConfigPath } from "../../scripts/generator/config/errors.ts";
import { readWithYaml } from "../../scripts/generator/config/load.ts";
import { readSimpleYaml } from "../../scripts/generator/config/simple-yaml.ts";

/** Keys and values in order. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return ["array", value.map(ordered)];
  if (typeof value === "object" && value !== null) return ["object", Object.entries(value).map(([key, item]) => [key, ordered(item)])];
  return [typeof value, value];
}

/** Every path in `value`, each also with a segment that is not there (the walk's partial answers). */
function pathsOf(value: unknown, prefix: ConfigPath = []): ConfigPath[] {
  const here: ConfigPath[] = [prefix, [...prefix, "absent"], [...prefix, 99]];
  if (typeof value !== "object" || value === null) return here;
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [...here, ...keys.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

/** "read" when the reader read `text` (and agreed with yaml), "declined" otherwise; throws on a disagreement. */
function compare(text: string): "read" | "declined" {
  const simple = readSimpleYaml(text);
  if (simple === undefined) return "declined";
  const yaml = readWithYaml(text);
  if (yaml === undefined) throw new Error(`read, but yaml reports errors: ${JSON.stringify(text)}`);
  expect(ordered(simple.data), text).toEqual(ordered(yaml.data));
  for (const path of pathsOf(yaml.data)) {
    const where = `${JSON.stringify(path)} in ${JSON.stringify(text)}`;
    expect(simple.locate(path), where).toEqual(yaml.locate(path));
    expect(simple.locateKey(path), where).toEqual(yaml.locateKey(path));
    expect(simple.written(path), where).toBe(yaml.written(path));
  }
  return "read";
}

/** Small texts at the edges of what the reader follows; each is compared whether read or declined. */
const EDGES = [
  "a: b\n",
  "a: b",
  "# comment\n\na: b # c\n",
  "a:   b   \n",
  "a: 'it''s'\n",
  'a: "x y"\n',
  'a: "x\\ny"\n',
  "a: 'x\n  y'\n",
  '"a b": 1\n',
  "'a': x\n",
  "a:b: c\n",
  "todo:read: { description: Read }\n",
  "a: b#c\n",
  "a: b #c\n",
  "a: b: c\n",
  "a: b:\n",
  "a: x,y\n",
  "a: [x, y]\n",
  "a: [x, y,]\n",
  "a: [x,\n  y]\n",
  "a: [ ]\n",
  "a: {}\n",
  "a: { b: 1, c: [d, { e: f }] }\n",
  "a: {b: https://x.test}\n",
  "a: {b:1}\n",
  "a: { b: 1, b: 2 }\n",
  "a: 1\nb: 0123\nc: 123456789012345\nd: 1234567890123456\n",
  "a: 1\nb: 0123\nc: 123456789012345\n",
  "a: null\nb: Null\nc: NULL\ne: true\nf: False\ng: TRUE\nh: yes\ni: on\nj: True\nk: false\nl: FALSE\nm: tRUE\n",
  "a: -1\nb: +1\nc: 1.5\nd: .inf\ne: 0x1F\nf: 1e3\n",
  "a: null\nb: Null\nc: NULL\nd: ~\ne: true\nf: False\ng: TRUE\nh: yes\ni: on\n",
  "a:\n",
  "a:\nb: c\n",
  "a:\n  b: c\n  d:\n    - e\n    - f\n  g: h\n",
  "a:\n- b\n- c\n",
  "a:\n  - b: c\n",
  "a:\n  - b\n    c\n",
  "a:\n  -\n",
  "a:\n  b: c\n   d: e\n",
  "a:\n  b: c\n d: e\n",
  "a: # comment\n  # more\n  b: c\n# out\n  d: e\n",
  "a: b\na: c\n",
  "<<: { a: b }\n",
  "__proto__: x\n",
  "a: &x b\nc: *x\n",
  "a: !!str 1\n",
  "a: |\n  text\n",
  "a: >\n  text\n",
  "--- \na: b\n",
  "a: b\n...\n",
  "%YAML 1.2\n---\na: b\n",
  "  a: b\n",
  "a:\tb\n",
  "a: b\r\n",
  "? a\n: b\n",
  "- a\n- b\n",
  "a\n",
  "",
  "# only a comment\n",
  "a: é ü ñ\n",
  "1: a\n",
  "true: a\n",
  "a: `b`\n",
  "a: @b\n",
  "a: %b\n",
  "a: ''\n",
  'a: ""\n',
  "'': a\n",
];

describe("readSimpleYaml", () => {
  it("reads the repo's bridge.yaml and the docs' examples as yaml does", () => {
    expect(compare(readFileSync("bridge.yaml", "utf8"))).toBe("read");
    for (const name of readdirSync("docs").filter((file) => file.endsWith(".md"))) {
      for (const [, block] of readFileSync(join("docs", name), "utf8").matchAll(/```ya?ml\n([\s\S]*?)```/g)) compare(block!);
    }
  });

  it("agrees with yaml on each edge it reads, and reads the plain ones", () => {
    const read = EDGES.filter((text) => compare(text) === "read");
    // Exactly these: fewer would mean a plain case left to yaml for nothing.
    expect(read).toEqual([
      "a: b\n",
      "a: b",
      "# comment\n\na: b # c\n",
      "a:   b   \n",
      "a: 'it''s'\n",
      'a: "x y"\n',
      '"a b": 1\n',
      "'a': x\n",
      "a:b: c\n",
      "todo:read: { description: Read }\n",
      "a: b#c\n",
      "a: b #c\n",
      "a: x,y\n",
      "a: [x, y]\n",
      "a: [ ]\n",
      "a: {}\n",
      "a: { b: 1, c: [d, { e: f }] }\n",
      "a: 1\nb: 0123\nc: 123456789012345\n",
      "a: null\nb: Null\nc: NULL\ne: true\nf: False\ng: TRUE\nh: yes\ni: on\nj: True\nk: false\nl: FALSE\nm: tRUE\n",
      "a:\n  b: c\n  d:\n    - e\n    - f\n  g: h\n",
      "a: # comment\n  # more\n  b: c\n# out\n  d: e\n",
      "a: é ü ñ\n",
      "a: ''\n",
      'a: ""\n',
      "'': a\n",
    ]);
  });

  it("agrees with yaml on configs written in every style yaml.stringify has, with comments", () => {
    const config = {
      api: { name: "todo", spec: "openapi/todo.yaml", baseUrl: "http://127.0.0.1:8787", timeoutMs: 5000 },
      identity: { provider: "pingfederate", issuer: "https://sso.example.test", client: { idEnv: "A", secretEnv: "B" }, algorithms: ["RS256", "ES256"] },
      upstream: { credentials: "token-exchange", audience: "https://api.example.test" },
      scopes: { "todo:read": { description: "Read: all", grantTo: { users: ["ann", "bob"] } }, "todo:write": { description: "Write it's" } },
      tools: { include: { tags: ["todos"] }, overrides: { listTodos: { hiddenParameters: { limit: 10, flag: true, none: null, text: "" } } } },
    };
    let read = 0;
    for (const indent of [2, 4]) {
      for (const collectionStyle of ["any", "block", "flow"] as const) {
        for (const defaultStringType of ["PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"] as const) {
          for (const flowLevel of [0, 1, 2, 3]) {
            const text = stringify(config, { indent, collectionStyle, defaultStringType, defaultKeyType: "PLAIN", lineWidth: 0, flowCollectionPadding: flowLevel % 2 === 0 });
            // The same text with comments after values and on lines of their own.
            const commented = text.replace(/\n/g, (_, offset: number) => (offset % 3 === 0 ? " # note\n" : offset % 3 === 1 ? "\n# line\n" : "\n"));
            for (const one of [text, commented]) if (compare(one) === "read") read++;
          }
        }
      }
    }
    expect(read).toBeGreaterThan(20);
  });
});
