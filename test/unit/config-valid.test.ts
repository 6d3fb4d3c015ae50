/**
 * config/valid-config.ts against zod: whenever it shows a config valid, zod finds it valid too and gives the same
 * value, keys in the same order; and it shows all that zod accepts but texts zod gives back changed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { bridgeConfigSchema } from "../../scripts/generator/config/schema.ts";
import * as fast from "../../scripts/generator/config/valid-config.ts";

const { NOT_SHOWN, parseValidConfig } = fast;

/** Keys and values in order (JSON.stringify would drop undefined and lose -0). */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return ["array", value.map(ordered)];
  if (typeof value === "object" && value !== null) return ["object", Object.entries(value).map(([key, item]) => [key, ordered(item)])];
  return [typeof value, Object.is(value, -0) ? "-0" : value];
}

/** The two answers for `data`: "both" (same value), "zod only" (declined here), "neither"; throws on a disagreement. */
function compare(data: unknown): "both" | "zod only" | "neither" {
  const shown = parseValidConfig(data);
  const parsed = bridgeConfigSchema().safeParse(data);
  if (shown === NOT_SHOWN) {
    // Declined though valid: only for a text zod gives back changed (a URL trimmed, its tabs and line breaks removed).
    if (parsed.success && !hasUntrimmedText(data)) throw new Error(`valid, but not shown so: ${JSON.stringify(data)}`);
    return parsed.success ? "zod only" : "neither";
  }
  if (!parsed.success) throw new Error(`shown valid, zod disagrees: ${JSON.stringify(data)}\n${parsed.error.message}`);
  expect(ordered(shown), JSON.stringify(data)).toEqual(ordered(parsed.data));
  return "both";
}

function hasUntrimmedText(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== value || /[\t\n\r]/.test(value);
  return typeof value === "object" && value !== null && Object.values(value).some(hasUntrimmedText);
}

/** Every key the schema has, on each provider: the base of the random configs. */
function fullConfig(provider: "pingfederate" | "pingone" | "access"): Record<string, unknown> {
  const identity: Record<string, Record<string, unknown>> = {
    pingfederate: {
      provider,
      issuer: "https://sso.example.test:9031",
      resource: "https://bridge.example.test/mcp",
      client: { idEnv: "PF_ID", secretEnv: "PF_SECRET" },
      tokenValidation: "introspection",
      jwksUri: "https://sso.example.test/ext/jwks",
      introspectionEndpoint: "https://sso.example.test/as/introspect",
      tokenEndpoint: "https://sso.example.test/as/token",
      algorithms: ["RS256", "EdDSA"],
      tokenType: "at+jwt",
    },
    pingone: {
      provider,
      issuer: "https://auth.pingone.eu/env/as",
      resource: "https://bridge.example.test/mcp",
      client: { idEnv: "P1_ID", secretEnv: "P1_SECRET" },
      acrValues: "policy",
      clientIdMetadataDocuments: true,
      loginScopes: ["openid", "email"],
    },
    access: {
      provider,
      mode: "saas",
      teamDomain: "https://team.cloudflareaccess.com",
      aud: "aud-tag",
      resource: "https://bridge.example.test/mcp",
      client: { idEnv: "CF_ID", secretEnv: "CF_SECRET" },
      clientIdMetadataDocuments: false,
    },
  };
  return {
    $schema: "./generated/bridge.schema.json",
    api: {
      name: "todo-api",
      spec: "openapi/todo.yaml",
      baseUrl: "http://127.0.0.1:8787/base",
      baseUrlEnv: "TODO_BASE",
      servers: { "https://upload.example.test": { url: "https://up.example.test", urlEnv: "UP_URL", variables: { region: "eu" } } },
      binding: "TODO_API",
      timeoutMs: 5000,
      maxResponseBytes: 2048,
    },
    identity: identity[provider],
    upstream: {
      credentials: "token-exchange",
      audience: "https://api.example.test",
      resource: "https://api.example.test/",
      schemes: { apiKey: { valueEnv: "KEY" }, basic: { usernameEnv: "USER", passwordEnv: "PASS" } },
    },
    scopes: {
      "todo:read": { description: "Read", grantTo: { users: ["ann"], emailDomains: ["example.com"], groups: ["staff"] } },
      "todo:write": { description: "Write" },
    },
    tools: {
      mode: "static",
      discovery: { names: { search: "find", describe: "show", call: "run" }, answerBudgetTokens: 900 },
      scopeRules: [{ match: { tags: ["todos"], methods: ["get"] }, scopes: ["todo:read"] }],
      visibility: "list",
      include: { operations: ["listTodos"], paths: ["/todos/**"] },
      exclude: { methods: ["delete"] },
      outputSchemas: "compact",
      descriptions: "concise",
      arrayFormat: "indices",
      listBudgetTokens: 10_000,
      overrides: {
        listTodos: {
          name: "list_todos",
          title: "List",
          description: "Lists todos",
          scopes: ["todo:read"],
          annotations: { title: "T", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
          visibility: "hide",
          hiddenParameters: { limit: 10, filter: { done: false } },
          arrayFormat: "repeat",
          parameters: { tags: { arrayFormat: "brackets" } },
        },
      },
    },
  };
}

/** Values that are right somewhere in the schema, wrong elsewhere, or wrong in ways zod words differently. */
const VALUES: unknown[] = [
  "",
  " ",
  "x",
  "todo",
  "Todo",
  "todo_api",
  "TODO_API",
  "9LIVES",
  "$x",
  "a b",
  "todo:read",
  "todo\"read",
  "example.com",
  "https://a.example.test",
  "http://127.0.0.1:8787",
  "HTTPS://A.EXAMPLE.TEST/x",
  " https://a.example.test",
  "https://a.example.test ",
  "https://a.exa\tmple.test",
  "ftp://a.example.test",
  "https://",
  "https:a.example.test",
  "mailto:x@example.test",
  "pingfederate",
  "pingone",
  "access",
  "saas",
  "self-hosted",
  "jwt",
  "introspection",
  "any",
  "at+jwt",
  "RS256",
  "token-exchange",
  "none",
  "static",
  "discovery",
  "auto",
  "full",
  "compact",
  "concise",
  "hide",
  "list",
  "brackets",
  "indices",
  "repeat",
  "get",
  "GET",
  "search_operations",
  "x".repeat(65),
  0,
  -0,
  1,
  -1,
  1.5,
  99,
  100,
  199,
  200,
  1023,
  1024,
  300_000,
  300_001,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  [],
  ["todo:read"],
  ["get", "post"],
  ["RS256"],
  [""],
  {},
  { tags: ["todos"] },
  { tags: [] },
  { idEnv: "A", secretEnv: "B" },
  { description: "d" },
  { arrayFormat: "repeat" },
];

/** A small seeded generator, so that a failure can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Every path to a value in `value` (the document itself excluded). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, unknown>)[key], [...prefix, key])]);
}

/** `config` with a few random edits: a value replaced, a key removed, an unknown or a known key added. */
function mutated(config: Record<string, unknown>, next: () => number): unknown {
  const copy = structuredClone(config);
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const all = paths(copy);
    const path = all[Math.floor(next() * all.length)]!;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((value, key) => value[key] as Record<string | number, unknown>, copy);
    const key = path.at(-1)!;
    const roll = next();
    if (roll < 0.6) parent[key] = structuredClone(VALUES[Math.floor(next() * VALUES.length)]);
    else if (roll < 0.85 && !Array.isArray(parent)) delete parent[key];
    else if (!Array.isArray(parent)) parent[roll < 0.92 ? "unknownKey" : String(key)] = structuredClone(VALUES[Math.floor(next() * VALUES.length)]);
  }
  return copy;
}

type Shape = Record<string, z.ZodType>;

/** Through optional, default and prefault wrappers. */
function unwrapped(schema: unknown): unknown {
  const inner = schema instanceof z.ZodType && "innerType" in schema.def ? schema.def.innerType : undefined;
  return inner === undefined ? schema : unwrapped(inner);
}

/** The object schema at a key: through wrappers, a record's values and an array's items. */
function objectIn(schema: unknown): z.ZodObject<Shape> {
  const inner = unwrapped(schema);
  if (inner instanceof z.ZodRecord) return objectIn(inner.valueType);
  if (inner instanceof z.ZodArray) return objectIn(inner.element);
  if (!(inner instanceof z.ZodObject)) throw new Error("not an object schema");
  return inner as z.ZodObject<Shape>;
}

describe("parseValidConfig", () => {
  it("gives zod's value for every provider's full config and the smallest ones", () => {
    for (const provider of ["pingfederate", "pingone", "access"] as const) expect(compare(fullConfig(provider))).toBe("both");
    const smallest = {
      api: { name: "a", spec: "s" },
      identity: { provider: "pingone", issuer: "https://i.test", resource: "https://r.test", client: { idEnv: "A", secretEnv: "B" } },
      upstream: { credentials: "none" },
    };
    expect(compare(smallest)).toBe("both");
  });

  it("gives zod's value for the repo's bridge.yaml and the docs' examples", () => {
    const texts = [readFileSync("bridge.yaml", "utf8")];
    for (const name of readdirSync("docs").filter((file) => file.endsWith(".md"))) {
      for (const [, block] of readFileSync(join("docs", name), "utf8").matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
        if (/^api:/m.test(block!) && /^identity:/m.test(block!)) texts.push(block!);
      }
    }
    let shown = 0;
    for (const text of texts) {
      let data: unknown;
      try {
        data = parseYaml(text, { merge: true });
      } catch {
        continue;
      }
      if (compare(data) === "both") shown++;
    }
    expect(shown).toBeGreaterThan(0);
  });

  it("never disagrees with zod on 8,000 random edits of the full configs, and shows all it accepts but texts zod changes", () => {
    const next = random(11);
    const counts = { both: 0, "zod only": 0, neither: 0 };
    for (let i = 0; i < 8_000; i++) {
      const base = fullConfig((["pingfederate", "pingone", "access"] as const)[i % 3]!);
      counts[compare(mutated(base, next))]++;
    }
    expect(counts.both).toBeGreaterThan(1_000);
    expect(counts.neither).toBeGreaterThan(1_000);
  }, 60_000);

  it("never disagrees with zod on each value of VALUES at each place of the full configs", () => {
    const counts = { both: 0, "zod only": 0, neither: 0 };
    for (const provider of ["pingfederate", "pingone", "access"] as const) {
      const base = fullConfig(provider);
      // The other providers' configs differ only under identity.
      const places = paths(base).filter((path) => provider === "pingfederate" || path[0] === "identity");
      for (const path of places) {
        for (const value of VALUES) {
          const copy = structuredClone(base);
          const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, copy);
          parent[path.at(-1)!] = structuredClone(value);
          counts[compare(copy)]++;
        }
      }
    }
    expect(counts.both).toBeGreaterThan(1_000);
  }, 60_000);

  it("knows each object's keys in the schema's order, and how each is filled in when absent", () => {
    const root = objectIn(bridgeConfigSchema());
    const tools = objectIn(root.shape["tools"]);
    const discovery = objectIn(tools.shape["discovery"]);
    const overrides = objectIn(tools.shape["overrides"]);
    const scope = objectIn(root.shape["scopes"]);
    const identities = (unwrapped(root.shape["identity"]) as z.ZodDiscriminatedUnion).options.map(objectIn);
    const pairs: [fast.ObjectParser, z.ZodObject<Shape>][] = [
      [fast.bridgeConfig, root],
      [fast.api, objectIn(root.shape["api"])],
      [fast.pingfederate, identities[0]!],
      [fast.pingone, identities[1]!],
      [fast.access, identities[2]!],
      [fast.upstream, objectIn(root.shape["upstream"])],
      [fast.scope, scope],
      [fast.scopeRule, objectIn(scope.shape["grantTo"])],
      [fast.tools, tools],
      [fast.discovery, discovery],
      [fast.discoveryNames, objectIn(discovery.shape["names"])],
      [fast.selector, objectIn(tools.shape["include"])],
      [fast.scopeRuleEntry, objectIn(tools.shape["scopeRules"])],
      [fast.toolOverride, overrides],
      [fast.annotationsOverride, objectIn(overrides.shape["annotations"])],
    ];
    for (const [mine, theirs] of pairs) {
      expect(Object.keys(mine.fields)).toEqual(Object.keys(theirs.shape));
      for (const [key, field] of Object.entries(mine.fields)) {
        const schema = theirs.shape[key]!;
        const kind =
          schema instanceof z.ZodDefault ? "default" : schema instanceof z.ZodPrefault ? "prefault" : schema instanceof z.ZodOptional ? "optional" : "required";
        expect(`${key}: ${field.kind}`).toBe(`${key}: ${kind}`);
      }
    }
  });
});
