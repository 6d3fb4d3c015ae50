/** Policy decisions: scopes held (token + claim rules), what is listed, what is missing. */
import { describe, expect, it } from "vitest";
import type { Identity } from "../../../src/auth/types.ts";
import { effectiveScopes, isListed, missingScopes } from "../../../src/policy/policy.ts";
import type { PolicyDefinition } from "../../../src/policy/types.ts";

const policy: PolicyDefinition = {
  scopes: [
    { name: "read", description: "Read", grantTo: { emailDomains: ["example.com"], groups: ["readers"] } },
    { name: "write", description: "Write", grantTo: { users: ["alice@example.com", "svc-123"] } },
    { name: "admin", description: "Admin" },
  ],
  tools: {
    list_things: { scopes: ["read"], visibility: "hide" },
    create_thing: { scopes: ["write"], visibility: "hide" },
    purge: { scopes: ["admin", "write"], visibility: "list" },
    ping: { scopes: [], visibility: "hide" },
  },
};

const identity = (scopes: string[], claims: Record<string, unknown> = {}, subject = "user-1"): Identity => ({ subject, scopes, claims });

describe("effectiveScopes", () => {
  it.each<[string, Identity, string[]]>([
    ["the token's scopes, nothing more", identity(["read", "other"]), ["read", "other"]],
    ["an email domain rule", identity([], { email: "Bob@Example.com" }), ["read"]],
    ["a domain rule is not a suffix match on the domain", identity([], { email: "bob@notexample.com" }), []],
    ["a group rule (list claim)", identity([], { groups: ["staff", "readers"] }), ["read"]],
    ["a group rule (string claim)", identity([], { groups: "readers" }), ["read"]],
    ["a user rule by email, case-insensitive", identity([], { email: "ALICE@example.com" }), ["read", "write"]],
    ["a user rule by subject (service token)", identity([], {}, "svc-123"), ["write"]],
    ["a scope without rules is never granted by claims", identity([], { email: "root@example.com", groups: ["admin"] }), ["read"]],
  ])("%s", (_name, who, want) => {
    expect([...effectiveScopes(who, policy)].sort()).toEqual(want.sort());
  });
});

describe("effectiveScopes within consent", () => {
  it("grants by claim rule only what the client was granted at consent", () => {
    const who: Identity = { subject: "alice", scopes: [], claims: { email: "alice@example.com" }, consentedScopes: ["read"] };
    expect([...effectiveScopes(who, policy)]).toEqual(["read"]);
  });

  it("grants nothing by rule when the client was granted nothing", () => {
    const who: Identity = { subject: "alice", scopes: [], claims: { email: "alice@example.com" }, consentedScopes: [] };
    expect([...effectiveScopes(who, policy)]).toEqual([]);
  });
});

describe("missingScopes", () => {
  it("lists every scope the tool needs and the caller lacks, in the tool's order", () => {
    expect(missingScopes(["admin", "write"], new Set(["write"]))).toEqual(["admin"]);
    expect(missingScopes(["admin", "write"], new Set())).toEqual(["admin", "write"]);
    expect(missingScopes([], new Set())).toEqual([]);
  });

  it("matches scopes exactly, never as substrings", () => {
    expect(missingScopes(["write"], new Set(["writer", "rewrite"]))).toEqual(["write"]);
  });
});

describe("isListed", () => {
  it.each<[string, string, string[], boolean]>([
    ["hidden tool the caller may use", "list_things", ["read"], true],
    ["hidden tool the caller may not use", "create_thing", ["read"], false],
    ["listed tool the caller may not use (step-up)", "purge", ["read"], true],
    ["a tool with no scopes", "ping", [], true],
    ["a tool the policy does not know", "unknown", ["read", "write", "admin"], false],
  ])("%s", (_name, tool, held, want) => {
    expect(isListed(tool, new Set(held), policy)).toBe(want);
  });
});
