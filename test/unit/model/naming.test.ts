import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  assignNames,
  MAX_TOOL_NAME,
  nameFromBinding,
  snakeCase,
  stableSuffix,
  type NameDecision,
  type NameRequest,
} from "../../../scripts/generator/model/naming.ts";

/** The documented suffix: the first 6 hex characters of SHA-256 of the operation's `METHOD path`. */
const hash6 = (identity: string): string => createHash("sha256").update(identity).digest("hex").slice(0, 6);

describe("snakeCase", () => {
  it.each<[string, string, string]>([
    ["camelCase", "listTodos", "list_todos"],
    ["PascalCase", "ListTodos", "list_todos"],
    ["already snake_case", "list_todos", "list_todos"],
    ["slash and dash (GitHub)", "repos/get-content", "repos_get_content"],
    ["dots", "users.list", "users_list"],
    ["acronym in the middle", "getHTTPResponse", "get_http_response"],
    ["acronym at the end", "getUserID", "get_user_id"],
    ["acronym then word", "getAPIKeys", "get_api_keys"],
    ["leading acronym", "HTMLParser", "html_parser"],
    ["digit before a capital", "getV2Users", "get_v2_users"],
    ["trailing version", "getUsersV2", "get_users_v2"],
    ["leading version", "v1GetUser", "v1_get_user"],
    ["digits inside a word", "oauth2Token", "oauth2_token"],
    ["runs of separators collapse", "a--b__c  d", "a_b_c_d"],
    ["separators trimmed", "__init__", "init"],
    ["spaces", "Get a user", "get_a_user"],
    ["only separators", "---", ""],
  ])("%s: %s → %s", (_name, given, want) => {
    expect(snakeCase(given)).toBe(want);
  });
});

describe("snakeCase against the five replaces it was", () => {
  const fiveReplaces = (text: string): string =>
    text
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .replace(/_+/g, "_")
      .toLowerCase();
  /** A seeded generator (mulberry32): a failure names the string it failed on. */
  const randoms = (seed: number): (() => number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = ["a", "b", "z", "A", "B", "Z", "0", "9", "_", "-", "/", ".", " ", "é", "É", "{", "}", "__", "ID", "Api"];

  it("gives the same name for 20,000 random strings of letters, digits, separators and non-ASCII", () => {
    const random = randoms(11);
    for (let n = 0; n < 20_000; n++) {
      let text = "";
      for (let length = Math.floor(random() * 14); length > 0; length--) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(snakeCase(text), JSON.stringify(text)).toBe(fiveReplaces(text));
    }
  });
});

describe("nameFromBinding (operations without operationId)", () => {
  it.each<[string, [string, string], string]>([
    ["path variables become by_<name>", ["GET", "/repos/{owner}/{repo}"], "get_repos_by_owner_by_repo"],
    ["method lower-cased", ["POST", "/api/todos"], "post_api_todos"],
    ["dashes and camelCase in segments", ["DELETE", "/api/todoLists/{listId}/items-all"], "delete_api_todo_lists_by_list_id_items_all"],
    ["root path", ["GET", "/"], "get"],
  ])("%s", (_name, [method, path], want) => {
    expect(nameFromBinding(method, path)).toBe(want);
  });
});

describe("assignNames", () => {
  const long = "getTheCurrentlyAuthenticatedUsersOrganizationMembershipsForAGivenEnterpriseAccount";
  const longPlain = snakeCase(long);

  it("the long fixture is over the limit", () => {
    expect(longPlain.length).toBeGreaterThan(MAX_TOOL_NAME);
  });

  it.each<[string, NameRequest[], NameDecision[]]>([
    [
      "plain names",
      [
        { base: "listTodos", identity: "GET /todos" },
        { base: "createTodo", identity: "POST /todos" },
      ],
      [{ name: "list_todos" }, { name: "create_todo" }],
    ],
    ["an empty base becomes `operation`", [{ base: "--", identity: "GET /x" }], [{ name: "operation" }]],
    [
      "over 64 characters: 57 characters, `_`, 6 hex of the operation",
      [{ base: long, identity: "GET /enterprises/{e}/memberships" }],
      [
        {
          name: `${longPlain.slice(0, 57).replace(/_+$/, "")}_${hash6("GET /enterprises/{e}/memberships")}`,
          note: `name shortened to 64 characters (was ${longPlain.length})`,
        },
      ],
    ],
    [
      "collision: the first keeps the plain name, later ones are suffixed",
      [
        { base: "listUsers", identity: "GET /users" },
        { base: "list_users", identity: "GET /v2/users" },
        { base: "ListUsers", identity: "GET /v3/users" },
      ],
      [
        { name: "list_users" },
        { name: `list_users_${hash6("GET /v2/users")}`, note: 'name "list_users" already taken: suffixed' },
        { name: `list_users_${hash6("GET /v3/users")}`, note: 'name "list_users" already taken: suffixed' },
      ],
    ],
    [
      "overrides are verbatim, and win a plain name even against an earlier operation",
      [
        { base: "listUsers", identity: "GET /users" },
        { base: "getUser", identity: "GET /users/{id}", override: "list_users" },
      ],
      [{ name: `list_users_${hash6("GET /users")}`, note: 'name "list_users" already taken: suffixed' }, { name: "list_users" }],
    ],
    ["an override needs no snake_case conversion", [{ base: "x", identity: "GET /x", override: "fetch_thing" }], [{ name: "fetch_thing" }]],
  ])("%s", (_name, given, want) => {
    expect(assignNames(given)).toEqual(want);
  });

  it("shortened names fit, are stable, and differ per operation", () => {
    const a = { base: long, identity: "GET /a" };
    const b = { base: `${long}Again`, identity: "GET /b" };
    const [nameA, nameB] = assignNames([a, b]).map((d) => d.name);
    expect(nameA!.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(nameB!.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(nameA).not.toBe(nameB);
    // Stable: the name depends only on its own operation, not on what else the spec has.
    expect(assignNames([{ base: "other", identity: "GET /other" }, b])[1]!.name).toBe(nameB);
    expect(assignNames([a])[0]!.name).toBe(nameA);
  });

  it("a name of exactly 64 characters is kept", () => {
    const base = `a${"_b".repeat(31)}c`;
    expect(base.length).toBe(64);
    expect(assignNames([{ base, identity: "GET /x" }])).toEqual([{ name: base }]);
  });

  it("truncation does not leave a doubled underscore before the suffix", () => {
    const base = `${"a".repeat(56)}_${"b".repeat(20)}`; // the 57th character is `_`
    const [decision] = assignNames([{ base, identity: "GET /x" }]);
    expect(decision!.name).toBe(`${"a".repeat(56)}_${hash6("GET /x")}`);
  });

  it("stableSuffix is 6 hex characters of SHA-256", () => {
    expect(stableSuffix("GET /x")).toBe(hash6("GET /x"));
    expect(stableSuffix("GET /x")).toMatch(/^[0-9a-f]{6}$/);
  });
});

describe("snakeCase: the replace of other characters skipped", () => {
  /** snakeCase with its runs of other characters always replaced. */
  const general = (text: string): string => {
    const split = /[A-Z]/.test(text) ? text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2") : text;
    return split.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").toLowerCase();
  };
  const texts = ["list_todos", "listTodos", "a__b", "_a_", "a_-b", "a b", "repos/get-content", "ä_b", "__", "_", "", "getHTTPResponse", "x_1", "list__Todos"];
  it.each(texts)("%j as the general form gives it", (text) => {
    expect(snakeCase(text)).toBe(general(text));
  });
});
