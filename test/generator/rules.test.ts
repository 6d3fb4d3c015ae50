/**
 * Every bridge.yaml rule beyond the schema, through `generate()` (what `npm run generate` runs): each mistake with its
 * exact `bridge.yaml:LINE:COL: message` and code, each warning as the summary shows it. The CLI's exit codes for the
 * same errors and warnings are in cli.test.ts.
 */
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatDiagnostic } from "../../scripts/generator/config/errors.ts";
import { generate, type GenerateResult } from "../../scripts/generator/index.ts";
import { ROOT } from "../helpers/corpus.ts";

const WORK = join(ROOT, ".cache", "test-rules");

/** Line numbers matter: they are written next to each line. */
const TODO_LINES = [
  /*  1 */ "api:",
  /*  2 */ "  name: todo",
  /*  3 */ "  spec: openapi/todo-api.yaml",
  /*  4 */ "  baseUrl: http://127.0.0.1:8787",
  /*  5 */ "identity:",
  /*  6 */ "  provider: pingfederate",
  /*  7 */ "  issuer: http://127.0.0.1:9031",
  /*  8 */ "  resource: http://127.0.0.1:8788/mcp",
  /*  9 */ "  client: { idEnv: PF_CLIENT_ID, secretEnv: PF_CLIENT_SECRET }",
  /* 10 */ "upstream:",
  /* 11 */ "  credentials: token-exchange",
  /* 12 */ "  audience: http://127.0.0.1:8787",
  /* 13 */ "scopes:",
  /* 14 */ "  todo_api:read: { description: Read }",
  /* 15 */ "  todo_api:write: { description: Write }",
  /* 16 */ "tools:",
  /* 17 */ "  include: { tags: [todos] }",
];

/** A small spec with one operation per kind of security (line numbers of SHOP_LINES below refer to bridge.yaml). */
const SHOP_SPEC = {
  openapi: "3.1.0",
  info: { title: "Shop", version: "1" },
  servers: [{ url: "/v1" }],
  components: {
    securitySchemes: {
      oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://idp.example.com/token", scopes: { "shop:read": "Read the shop" } } } },
      key: { type: "apiKey", in: "header", name: "X-Key" },
      basic: { type: "http", scheme: "basic" },
      digest: { type: "http", scheme: "digest" },
      mtls: { type: "mutualTLS" },
    },
  },
  paths: {
    "/items": { get: operation("listItems", "items", [{ oauth: ["shop:read"] }]) },
    "/stock": { get: operation("getStock", "items", [{ key: [] }]) },
    "/reports": { get: operation("getReport", "admin", [{ basic: [] }, { digest: [] }]) },
    "/audit": { get: operation("getAudit", "admin", [{ oauth: ["shop:audit"] }]) },
    "/certs": { get: operation("getCerts", "admin", [{ mtls: [] }]) },
    "/health": { get: operation("health", "ops", []) },
  },
};

function operation(operationId: string, tag: string, security: unknown[]) {
  return { operationId, tags: [tag], security, responses: { "200": { description: "ok" } } };
}

const SHOP_LINES = [
  /*  1 */ "api:",
  /*  2 */ "  name: shop",
  /*  3 */ "  spec: shop.json",
  /*  4 */ "  baseUrl: https://shop.example.com",
  /*  5 */ "identity:",
  /*  6 */ "  provider: pingfederate",
  /*  7 */ "  issuer: https://sso.example.com",
  /*  8 */ "  resource: https://bridge.example.com/mcp",
  /*  9 */ "  client: { idEnv: PF_CLIENT_ID, secretEnv: PF_CLIENT_SECRET }",
  /* 10 */ "upstream:",
  /* 11 */ "  credentials: token-exchange",
  /* 12 */ "  audience: https://shop.example.com",
  /* 13 */ "tools:",
  /* 14 */ "  include: { tags: [items] }",
];

/** `base` with some lines replaced (a replacement may hold several lines: later numbers shift) and more appended. */
function edited(base: readonly string[], changes: Record<number, string>, ...appended: string[]): string {
  return `${[...base.map((line, i) => changes[i + 1] ?? line), ...appended].join("\n")}\n`;
}
const todo = (changes: Record<number, string> = {}, ...appended: string[]) => edited(TODO_LINES, changes, ...appended);
const shop = (changes: Record<number, string> = {}, ...appended: string[]) => edited(SHOP_LINES, changes, ...appended);

interface Run {
  /** `bridge.yaml:L:C: …` lines of the ConfigError, in order; empty when generation succeeded. */
  errors: string[];
  codes: string[];
  /** The summary's warnings when generation succeeded. */
  warnings: string[];
  result?: GenerateResult;
}

let runs = 0;

/** Generates from `config` (beside the Todo spec and shop.json) in a scratch folder; `files` are written there too. */
async function run(config: string, files: Record<string, string> = {}): Promise<Run> {
  const dir = join(WORK, `run-${process.pid}-${runs++}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "openapi"), { recursive: true });
  await cp(join(ROOT, "openapi", "todo-api.yaml"), join(dir, "openapi", "todo-api.yaml"));
  await writeFile(join(dir, "shop.json"), JSON.stringify(SHOP_SPEC, null, 2));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  await writeFile(join(dir, "bridge.yaml"), config);
  const strip = (line: string) => line.replace(`${dir}/`, "");
  try {
    const result = await generate({ configPath: join(dir, "bridge.yaml"), outDir: join(dir, "generated") });
    return { errors: [], codes: [], warnings: result.report.warnings.map((w) => strip(formatDiagnostic(w))), result };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { errors: error.message.split("\n").map(strip), codes: error.diagnostics.map((d) => d.code ?? ""), warnings: [] };
  }
}

/** A table row: what is wrong, bridge.yaml, the lines of the error, and their codes. */
type ErrorCase = [name: string, config: string, lines: string[], codes: string[]];

async function expectErrors(_name: string, config: string, lines: string[], codes: string[]): Promise<void> {
  const got = await run(config);
  expect(got.errors).toEqual(lines);
  expect(got.codes).toEqual(codes);
}

/** A PingOne bridge.yaml for the Todo API: `identity` from line 2, `extra` identity lines from line 7, then `upstream`. */
function pingone(upstream: string[], extra: string[] = [], client = "{ idEnv: P1_CLIENT_ID, secretEnv: P1_CLIENT_SECRET }"): string {
  return yamlOf([
    "api: { name: todo, spec: openapi/todo-api.yaml, baseUrl: 'http://127.0.0.1:8787' }",
    "identity:",
    "  provider: pingone",
    "  issuer: https://auth.pingone.eu/0f6c1d57/as",
    "  resource: https://bridge.example.com/mcp",
    `  client: ${client}`,
    ...extra,
    "upstream:",
    ...upstream,
  ]);
}

const yamlOf = (lines: readonly string[]): string => `${lines.join("\n")}\n`;

describe("the sample passes every rule", () => {
  it("generates with no error and no warning", async () => {
    const { errors, warnings, result } = await run(todo());
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(result?.model.tools).toHaveLength(5);
  });
});

describe("scopes under scopes:", () => {
  it("a misspelt scope fails with the one meant", async () => {
    const got = await run(todo({ 14: "  todo_api:reed: { description: Read }" }));
    expect(got.errors).toEqual([
      'bridge.yaml:14:3: scopes["todo_api:reed"]: no selected operation or override uses this scope and the spec does not declare it (did you mean "todo_api:read"?)',
    ]);
    expect(got.codes).toEqual(["BRIDGE_SCOPE_UNKNOWN"]);
  });

  it("a scope nothing is close to says how to use it", async () => {
    const got = await run(todo({ 15: "  todo_api:write: { description: Write }\n  billing:export: { description: Export invoices }" }));
    expect(got.errors).toEqual([
      'bridge.yaml:16:3: scopes["billing:export"]: no selected operation or override uses this scope and the spec does not declare it (remove it, or require it with tools.overrides.<operationId>.scopes)',
    ]);
  });

  it("a scope only operations left out of the selection require (the spec does not declare it)", async () => {
    const got = await run(shop({ 12: "  audience: https://shop.example.com\nscopes:\n  shop:audit: { description: Audit }" }, "  exclude: { operations: [getStock] }"));
    expect(got.errors).toEqual([
      'bridge.yaml:14:3: scopes["shop:audit"]: no selected operation or override uses this scope and the spec does not declare it (only operations that tools.include / tools.exclude leave out require it)',
    ]);
  });

  it("a scope only an override requires is fine, and a misspelt override scope is not", async () => {
    const ok = await run(todo({ 15: "  todo_api:write: { description: Write }\n  todo_api:admin: { description: Admin }" }, "  overrides:", "    deleteTodo: { scopes: [todo_api:admin] }"));
    expect(ok.errors).toEqual([]);
    const typo = await run(todo({}, "  overrides:", "    deleteTodo: { scopes: [todo_api:wirte] }"));
    expect(typo.errors).toEqual([
      'bridge.yaml:19:28: scope "todo_api:wirte" is declared neither in the spec nor under scopes: (did you mean "todo_api:write"?)',
      "bridge.yaml:18:3: note: not checked until tools.overrides is fixed: scopes of left-out operations, scopes without claim rules, security schemes and tools anyone may call",
    ]);
    expect(typo.codes).toEqual(["BRIDGE_OVERRIDE_SCOPE_UNKNOWN", "BRIDGE_NOT_CHECKED"]);
  });
});

describe("provider × mode × upstream.credentials", () => {
  const access = (mode: string, identity: string[], upstream: string[], scopes: string[] = GRANTED) =>
    yamlOf([
      "api: { name: todo, spec: openapi/todo-api.yaml, baseUrl: 'http://127.0.0.1:8787' }",
      "identity:",
      "  provider: access",
      `  mode: ${mode}`,
      "  teamDomain: https://acme.cloudflareaccess.com",
      "  resource: https://bridge.example.com/mcp",
      ...identity,
      "upstream:",
      ...upstream,
      ...scopes,
    ]);
  const GRANTED = ["scopes:", "  todo_api:read: { description: Read, grantTo: { emailDomains: [example.com] } }", "  todo_api:write: { description: Write, grantTo: { users: [ann@example.com] } }"];

  it.each<ErrorCase>([
    [
      "pingfederate with upstream-token",
      todo({ 11: "  credentials: upstream-token" }),
      ["bridge.yaml:11:16: upstream.credentials: upstream-token is not available with identity.provider: pingfederate (use token-exchange, or none for an API that needs no credentials)"],
      ["BRIDGE_CREDENTIALS_UNAVAILABLE"],
    ],
    [
      "pingfederate with access-linked-app",
      todo({ 11: "  credentials: access-linked-app" }),
      ["bridge.yaml:11:16: upstream.credentials: access-linked-app is not available with identity.provider: pingfederate (use token-exchange, or none for an API that needs no credentials)"],
      ["BRIDGE_CREDENTIALS_UNAVAILABLE"],
    ],
    [
      "pingone with token-exchange",
      pingone(["  credentials: token-exchange", "  resource: https://api.example.com"]),
      ["bridge.yaml:8:16: upstream.credentials: token-exchange is not available with identity.provider: pingone (use upstream-token, or none for an API that needs no credentials)"],
      ["BRIDGE_CREDENTIALS_UNAVAILABLE"],
    ],
    [
      "access self-hosted with upstream-token",
      access("self-hosted", ["  aud: 3a7b9c"], ["  credentials: upstream-token"]),
      ["bridge.yaml:9:16: upstream.credentials: upstream-token is not available with identity.provider: access, mode: self-hosted (use access-linked-app for an API behind Access, or none)"],
      ["BRIDGE_CREDENTIALS_UNAVAILABLE"],
    ],
    [
      "access saas with access-linked-app",
      access("saas", ["  client: { idEnv: ACCESS_CLIENT_ID, secretEnv: ACCESS_CLIENT_SECRET }"], ["  credentials: access-linked-app"]),
      ["bridge.yaml:9:16: upstream.credentials: access-linked-app is not available with identity.provider: access, mode: saas (use upstream-token for the Access-issued access token, or none for an API that needs no credentials)"],
      ["BRIDGE_CREDENTIALS_UNAVAILABLE"],
    ],
    [
      "token-exchange without the bridge's client",
      todo({ 9: "  # no client" }),
      ['bridge.yaml:5:1: identity: missing required key "client", needed by upstream.credentials: token-exchange (the bridge\'s own confidential client: { idEnv, secretEnv })'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "introspection without the bridge's client",
      todo({ 9: "  tokenValidation: introspection", 11: "  credentials: none", 12: "  # no audience" }),
      ['bridge.yaml:5:1: identity: missing required key "client", needed by identity.tokenValidation: introspection (the bridge\'s own confidential client: { idEnv, secretEnv })'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "token-exchange without audience or resource",
      todo({ 12: "  # no audience" }),
      ['bridge.yaml:10:1: upstream: token-exchange needs "audience" or "resource" (the API the exchanged token is for)'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "pingone upstream-token without upstream.resource",
      pingone(["  credentials: upstream-token"]),
      ['bridge.yaml:7:1: upstream: missing required key "resource", needed by upstream.credentials: upstream-token with PingOne (the API\'s RFC 8707 resource, asked for at sign-in)'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "access self-hosted without aud",
      access("self-hosted", [], ["  credentials: access-linked-app"]),
      ['bridge.yaml:2:1: identity: missing required key "aud", needed by mode: self-hosted (the Access application\'s AUD tag)'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "access saas without client",
      access("saas", [], ["  credentials: upstream-token"]),
      ['bridge.yaml:2:1: identity: missing required key "client", needed by mode: saas (the Access for SaaS application\'s client: { idEnv, secretEnv })'],
      ["BRIDGE_KEY_REQUIRED"],
    ],
    [
      "access self-hosted asking for Client ID Metadata Documents",
      access("self-hosted", ["  aud: 3a7b9c", "  clientIdMetadataDocuments: true"], ["  credentials: none"]),
      ["bridge.yaml:8:3: identity.clientIdMetadataDocuments applies to mode: saas only (self-hosted Access has no OAuth flow for MCP clients)"],
      ["BRIDGE_KEY_REFUSED"],
    ],
    [
      "an issuer over plain http off loopback",
      todo({ 7: "  issuer: http://sso.example.com" }),
      ['bridge.yaml:7:11: identity.issuer: "http://sso.example.com" must use https (http only on 127.0.0.1, localhost or [::1])'],
      ["BRIDGE_URL_INSECURE"],
    ],
    [
      "a JWKS URL over plain http, and the resource too",
      todo({ 8: "  resource: http://bridge.example.com/mcp\n  jwksUri: http://sso.example.com/pf/JWKS" }),
      [
        'bridge.yaml:8:13: identity.resource: "http://bridge.example.com/mcp" must use https (http only on 127.0.0.1, localhost or [::1])',
        'bridge.yaml:9:12: identity.jwksUri: "http://sso.example.com/pf/JWKS" must use https (http only on 127.0.0.1, localhost or [::1])',
      ],
      ["BRIDGE_URL_INSECURE", "BRIDGE_URL_INSECURE"],
    ],
    [
      "an Access team domain with a path",
      access("self-hosted", ["  aud: 3a7b9c"], ["  credentials: none"]).replace("teamDomain: https://acme.cloudflareaccess.com", "teamDomain: https://acme.cloudflareaccess.com/cdn-cgi/access"),
      ['bridge.yaml:5:15: identity.teamDomain: "https://acme.cloudflareaccess.com/cdn-cgi/access" must be the team\'s origin, with no path (did you mean "https://acme.cloudflareaccess.com"?)'],
      ["BRIDGE_URL_NOT_ORIGIN"],
    ],
  ])("%s", expectErrors);

  it.each<[string, string, string[]]>([
    [
      "an introspection endpoint with JWT validation",
      todo({ 8: "  resource: http://127.0.0.1:8788/mcp\n  introspectionEndpoint: http://127.0.0.1:9031/as/introspect.oauth2" }),
      ["bridge.yaml:9:3: warning: identity.introspectionEndpoint has no effect with identity.tokenValidation: jwt (remove it)"],
    ],
    [
      "an audience without token exchange",
      todo({ 11: "  credentials: none" }),
      [
        "bridge.yaml:9:3: warning: identity.client has no effect with upstream.credentials: none and identity.tokenValidation: jwt (remove it)",
        "bridge.yaml:12:3: warning: upstream.audience has no effect with upstream.credentials: none (remove it)",
      ],
    ],
    [
      "an audience PingOne is never asked for",
      pingone(["  credentials: upstream-token", "  resource: https://api.example.com", "  audience: https://api.example.com"]),
      ["bridge.yaml:10:3: warning: upstream.audience has no effect with identity.provider: pingone, which is asked for upstream.resource only (remove it)"],
    ],
    [
      "an AUD tag in Access for SaaS",
      access("saas", ["  aud: 3a7b9c", "  client: { idEnv: ACCESS_CLIENT_ID, secretEnv: ACCESS_CLIENT_SECRET }"], ["  credentials: upstream-token"]),
      ["bridge.yaml:7:3: warning: identity.aud has no effect with identity.mode: saas (remove it)"],
    ],
  ])("warns of a key with no effect: %s", async (_name, config, warnings) => {
    const got = await run(config);
    expect(got.errors).toEqual([]);
    expect(got.warnings).toEqual(warnings);
  });

  it("Client ID Metadata Documents without the compatibility flag in the wrangler.jsonc beside bridge.yaml", async () => {
    const config = pingone(["  credentials: upstream-token", "  resource: https://api.example.com"], ["  clientIdMetadataDocuments: true"]);
    const wrangler = (flags: string[]) => `// comments are fine\n{ "name": "b", "compatibility_flags": ${JSON.stringify(flags)} }\n`;
    const without = await run(config, { "wrangler.jsonc": wrangler(["nodejs_compat"]) });
    expect(without.errors).toEqual([
      'bridge.yaml:7:30: identity.clientIdMetadataDocuments: true needs the compatibility flag global_fetch_strictly_public, which wrangler.jsonc does not set: add it to "compatibility_flags" (it keeps fetches of client documents off private addresses)',
    ]);
    expect(without.codes).toEqual(["BRIDGE_CIMD_FLAG_MISSING"]);
    const withFlag = await run(config, { "wrangler.jsonc": wrangler(["nodejs_compat", "global_fetch_strictly_public"]) });
    expect(withFlag.errors).toEqual([]);
  });
});

describe("claim rules and the claims each provider supplies", () => {
  it.each<ErrorCase>([
    [
      "pingfederate with token-exchange: the exchanged token cannot hold a scope the caller's token lacks",
      todo({ 15: "  todo_api:write: { description: Write, grantTo: { users: [ann@example.com] } }" }),
      [
        'bridge.yaml:15:41: scopes["todo_api:write"].grantTo: a claim rule cannot grant "todo_api:write" with identity.provider: pingfederate and upstream.credentials: token-exchange: the API gets PingFederate\'s token, which holds only the scopes PingFederate granted (grant the scope at PingFederate, or use upstream.credentials: none)',
      ],
      ["BRIDGE_CLAIM_RULE_UNREACHABLE"],
    ],
    [
      "pingone without email in loginScopes: email rules never match",
      pingone(
        ["  credentials: none", "scopes:", "  todo_api:write:", "    description: Write", "    grantTo: { emailDomains: [example.com], users: [ann@example.com, user-42] }"],
        ["  loginScopes: [openid, profile]"],
      ),
      [
        "bridge.yaml:13:16: scopes[\"todo_api:write\"].grantTo.emailDomains: PingOne identities carry no email address here: identity.loginScopes does not ask for email (add email to it)",
        "bridge.yaml:13:45: scopes[\"todo_api:write\"].grantTo.users: PingOne identities carry no email address here: identity.loginScopes does not ask for email (add email to it)",
      ],
      ["BRIDGE_CLAIM_UNAVAILABLE", "BRIDGE_CLAIM_UNAVAILABLE"],
    ],
    [
      "access: a scope tools require with no claim rule, so no one can call them",
      yamlOf([
        "api: { name: todo, spec: openapi/todo-api.yaml, baseUrl: 'http://127.0.0.1:8787' }",
        "identity: { provider: access, mode: self-hosted, teamDomain: 'https://acme.cloudflareaccess.com', aud: 3a7b9c, resource: 'https://bridge.example.com/mcp' }",
        "upstream: { credentials: access-linked-app }",
        "scopes:",
        "  todo_api:read: { description: Read, grantTo: { emailDomains: [example.com] } }",
        "  todo_api:write: { description: Write }",
      ]),
      [
        'bridge.yaml:6:3: scopes["todo_api:write"]: no claim rule grants "todo_api:write" and Cloudflare Access identities carry no API scopes, so create_todo, delete_todo and update_todo can never be called (add scopes["todo_api:write"].grantTo with users, emailDomains or groups, or leave the tools out)',
      ],
      ["BRIDGE_SCOPE_UNGRANTED"],
    ],
  ])("%s", expectErrors);
});

describe("Worker variable names", () => {
  it.each<ErrorCase>([
    [
      "not a Worker variable name, with the closest that is",
      todo({ 4: "  baseUrl: http://127.0.0.1:8787\n  baseUrlEnv: todo-api.base-url" }),
      [
        'bridge.yaml:5:15: api.baseUrlEnv: "todo-api.base-url" is not valid: must be a Worker variable name: ASCII letters, digits and _, not starting with a digit (did you mean "todo_api_base_url"?)',
        "bridge.yaml:5:3: note: not checked until api.baseUrlEnv is fixed: Worker variable names and the base URL",
      ],
      ["BRIDGE_VALUE_INVALID", "BRIDGE_NOT_CHECKED"],
    ],
    [
      "one variable for the client id and its secret",
      todo({ 9: "  client: { idEnv: PF_CLIENT, secretEnv: PF_CLIENT }" }),
      ["bridge.yaml:9:42: identity.client.secretEnv: PF_CLIENT is already identity.client.idEnv; one variable cannot hold both values"],
      ["BRIDGE_ENV_REUSED"],
    ],
    [
      "a variable named like the service binding",
      todo({ 4: "  baseUrl: http://127.0.0.1:8787\n  binding: TODO_API\n  baseUrlEnv: TODO_API" }),
      ["bridge.yaml:6:15: api.baseUrlEnv: TODO_API is the binding in api.binding; vars and bindings share env, so choose another name"],
      ["BRIDGE_ENV_NAME_TAKEN"],
    ],
    [
      "a variable named like the KV binding of the OAuth server modes",
      pingone(["  credentials: none"], [], "{ idEnv: OAUTH_KV, secretEnv: P1_CLIENT_SECRET }"),
      ["bridge.yaml:6:20: identity.client.idEnv: OAUTH_KV is the KV namespace binding the bridge keeps OAuth grants in; vars and bindings share env, so choose another name"],
      ["BRIDGE_ENV_NAME_TAKEN"],
    ],
  ])("%s", expectErrors);
});

describe("selectors and overrides that match nothing", () => {
  it.each<ErrorCase>([
    [
      "a hidden parameter the operation lacks",
      todo({}, "  overrides:", "    updateTodo:", "      hiddenParameters: { completd: true }"),
      ['bridge.yaml:20:27: hidden parameter "completd" is not a parameter or body property of updateTodo (did you mean "completed"?)'],
      ["BRIDGE_HIDDEN_PARAMETER_UNKNOWN"],
    ],
  ])("%s", expectErrors);

  it.each<[string, string, string[]]>([
    [
      "an exclude entry that removes nothing include selected",
      shop({ 14: "  include: { operations: [listItems] }" }, "  exclude: { tags: [admin] }"),
      ['bridge.yaml:15:21: warning: tools.exclude.tags[0]: "admin" excludes nothing that tools.include selects (remove it)'],
    ],
    [
      "an override of an operation the selection leaves out",
      todo({}, "  exclude: { operations: [deleteTodo] }", "  overrides:", "    deleteTodo: { description: Gone. }"),
      ["bridge.yaml:20:5: warning: tools.overrides.deleteTodo: deleteTodo is not a tool (tools.exclude leaves it out), so this override does nothing (select the operation, or remove the override)"],
    ],
    [
      "an override of an operation include does not match",
      shop({ 14: "  include: { operations: [listItems] }" }, "  overrides:", "    getReport: { description: Reports. }"),
      ["bridge.yaml:16:5: warning: tools.overrides.getReport: getReport is not a tool (tools.include does not match it), so this override does nothing (select the operation, or remove the override)"],
    ],
    [
      "a selection that leaves no tools",
      todo({}, "  exclude: { methods: [get, post, patch, delete] }"),
      ["bridge.yaml:17:3: warning: tools.include and tools.exclude select none of the spec's 5 operations: the bridge would serve no tools"],
    ],
    [
      "a method no operation uses (never a typo: the schema admits only HTTP methods)",
      todo({ 17: "  include: { tags: [todos] }\n  exclude: { methods: [trace] }" }),
      [
        'bridge.yaml:18:24: warning: method "trace" matches no operation in the spec (its operations use get, post, delete and patch)',
      ],
    ],
  ])("warns: %s", async (_name, config, warnings) => {
    const got = await run(config);
    expect(got.errors).toEqual([]);
    expect(got.warnings).toEqual(warnings);
  });
});

describe("security schemes the bridge cannot satisfy unless bridge.yaml says how", () => {
  it("Petstore's api_key-only operations fail instead of generating as 'Scopes: none'", async () => {
    const petstore = join(ROOT, "node_modules", "@readme", "oas-examples", "3.0", "json", "petstore.json");
    const config = [
      "api:",
      "  name: petstore",
      `  spec: ${JSON.stringify(petstore)}`,
      "identity: { provider: pingfederate, issuer: 'https://sso.example.com', resource: 'https://bridge.example.com/mcp', client: { idEnv: PF_ID, secretEnv: PF_SECRET } }",
      "upstream:",
      "  credentials: token-exchange",
      "  audience: https://petstore.example.com",
    ];
    const missing = await run(`${config.join("\n")}\n`);
    const hint = "(require scopes with tools.scopeRules or tools.overrides.<operationId>.scopes, or leave them out with tools.exclude)";
    expect(missing.errors).toEqual([
      "bridge.yaml:1:1: warning: 11 tools require no scope, so anyone who can sign in may call them: place_order, get_order_by_id, delete_order, create_user, " +
        `create_users_with_array_input, create_users_with_list_input, login_user, logout_user, get_user_by_name and 2 more ${hint}`,
      "bridge.yaml:5:1: upstream: the bridge cannot send what getPetById and getInventory require: api_key (API key in header api_key: needs upstream.schemes.api_key.valueEnv) (configure it, or leave them out with tools.exclude.operations)",
    ]);
    expect(missing.codes).toEqual(["BRIDGE_TOOLS_UNSCOPED", "BRIDGE_SECURITY_UNMET"]);

    const configured = await run(`${[...config, "  schemes: { api_key: { valueEnv: PETSTORE_API_KEY } }"].join("\n")}\n`);
    expect(configured.errors).toEqual([]);
    const inventory = configured.result!.model.tools.find((tool) => tool.operationId === "getInventory")!;
    expect(inventory.credentials).toEqual([{ scheme: "api_key", type: "apiKey", in: "header", name: "api_key", valueEnv: "PETSTORE_API_KEY" }]);
    const tools = configured.result!.files.find((file) => file.name === "tools.ts")!.content;
    expect(tools.match(/credentials: \[\s*\{\s*scheme: "api_key",\s*type: "apiKey",\s*in: "header",\s*name: "api_key",\s*valueEnv: "PETSTORE_API_KEY",?\s*\},?\s*\]/g)).toHaveLength(2);
    const docs = configured.result!.files.find((file) => file.name === "TOOLS.md")!.content;
    expect(docs).toContain("**Scopes:** none (anyone who can sign in may call it)  \n");
    expect(docs).toContain("**Upstream credentials:** API key `api_key` (header `api_key`) from the Worker secret `PETSTORE_API_KEY`");
    // Now they are tools, which anyone signed in may call with the bridge's key: two more in the warning.
    expect(configured.warnings).toEqual([
      "bridge.yaml:1:1: warning: 13 tools require no scope, so anyone who can sign in may call them: get_pet_by_id, get_inventory, place_order, " +
        `get_order_by_id, delete_order, create_user, create_users_with_array_input, create_users_with_list_input, login_user and 4 more ${hint}`,
    ]);
  });

  it.each<ErrorCase>([
    [
      "alternatives none of which the bridge can send, grouped by what they need",
      shop({ 14: "  include: { tags: [admin] }" }),
      [
        "bridge.yaml:10:1: upstream: the bridge cannot send what getReport requires: basic (HTTP basic: needs upstream.schemes.basic.usernameEnv and passwordEnv) or digest (HTTP digest: the bridge cannot send it) (configure it, or leave it out with tools.exclude.operations)",
        "bridge.yaml:10:1: upstream: the bridge cannot send what getCerts requires: mtls (mutual TLS: needs api.binding naming an mtls_certificates binding) (configure it, or leave it out with tools.exclude.operations)",
      ],
      ["BRIDGE_SECURITY_UNMET", "BRIDGE_SECURITY_UNMET"],
    ],
    [
      "a scheme the spec does not have",
      shop({ 12: "  audience: https://shop.example.com\n  schemes: { kee: { valueEnv: SHOP_KEY } }" }),
      [
        "bridge.yaml:10:1: upstream: the bridge cannot send what getStock requires: key (API key in header X-Key: needs upstream.schemes.key.valueEnv) (configure it, or leave it out with tools.exclude.operations)",
        'bridge.yaml:13:14: upstream.schemes: the spec has no security scheme "kee" (did you mean "key"?)',
      ],
      ["BRIDGE_SECURITY_UNMET", "BRIDGE_SCHEME_UNKNOWN"],
    ],
    [
      "credentials of the wrong kind for the scheme",
      shop(
        { 12: "  audience: https://shop.example.com\n  schemes:\n    key: { usernameEnv: U, passwordEnv: P }\n    basic: { valueEnv: B }\n    oauth: { valueEnv: O }" },
      ),
      [
        "bridge.yaml:10:1: upstream: the bridge cannot send what getStock requires: key (API key in header X-Key: needs upstream.schemes.key.valueEnv) (configure it, or leave it out with tools.exclude.operations)",
        'bridge.yaml:14:5: upstream.schemes.key: "key" is an API key (header X-Key): give valueEnv only',
        'bridge.yaml:15:5: upstream.schemes.basic: "basic" is HTTP basic: give usernameEnv and passwordEnv',
        "bridge.yaml:16:5: upstream.schemes.oauth: \"oauth\" is OAuth 2: the bridge sends the caller's token (upstream.credentials), so remove this entry",
      ],
      ["BRIDGE_SECURITY_UNMET", "BRIDGE_SCHEME_MISFIT", "BRIDGE_SCHEME_MISFIT", "BRIDGE_SCHEME_MISFIT"],
    ],
    [
      "no base URL and a relative server URL in the spec",
      shop({ 4: "  # baseUrl left out" }, "  exclude: { operations: [getStock] }"),
      ['bridge.yaml:1:1: api.baseUrl is required: the spec has no absolute server URL (it says "/v1")'],
      ["BRIDGE_BASE_URL_MISSING"],
    ],
    [
      "a spec path with a typo",
      shop({ 3: "  spec: shop.jsn" }),
      ['bridge.yaml:3:9: api.spec: there is no file ${SPEC} (did you mean "shop.json"?)', "bridge.yaml:3:3: note: bridge.yaml was not checked against the spec because api.spec names no file"],
      ["BRIDGE_SPEC_MISSING", "BRIDGE_NOT_CHECKED"],
    ],
  ])("%s", async (_name, config, want, codes) => {
    const got = await run(config);
    expect(got.errors.map((line) => line.replace(/there is no file \S+shop\.jsn/, "there is no file ${SPEC}"))).toEqual(want);
    expect(got.codes).toEqual(codes);
  });

  it("configured schemes: the operations become tools that send them, and an entry no tool sends is a warning", async () => {
    const got = await run(
      shop({ 12: "  audience: https://shop.example.com\n  schemes:\n    key: { valueEnv: SHOP_KEY }\n    basic: { usernameEnv: SHOP_USER, passwordEnv: SHOP_PASSWORD }" }),
    );
    expect(got.errors).toEqual([]);
    expect(got.warnings).toEqual([
      "bridge.yaml:15:5: warning: upstream.schemes.basic is sent by no selected operation (remove it)",
      "bridge.yaml:16:1: warning: 1 tool requires no scope, so anyone who can sign in may call it: get_stock (require scopes with tools.scopeRules or tools.overrides.<operationId>.scopes, or leave it out with tools.exclude)",
    ]);
    expect(got.result!.model.tools.map((tool) => [tool.name, tool.scopes, tool.credentials.map((c) => c.scheme)])).toEqual([
      ["list_items", ["shop:read"], []],
      ["get_stock", [], ["key"]],
    ]);
  });

  it("mutual TLS is met through api.binding", async () => {
    const got = await run(shop({ 4: "  baseUrl: https://shop.example.com\n  binding: SHOP_MTLS", 14: "  include: { operations: [getCerts] }" }));
    expect(got.errors).toEqual([]);
  });
});

describe("everything at once", () => {
  it("reports schema errors, provider rules and rules against the spec in one run, and says what it could not check", async () => {
    const config = [
      /*  1 */ "api:",
      /*  2 */ "  name: todo",
      /*  3 */ "  spec: openapi/todo-api.yaml",
      /*  4 */ "  baseUrl: http://127.0.0.1:8787",
      /*  5 */ "  timeoutMs: 10",
      /*  6 */ "identity:",
      /*  7 */ "  provider: pingfederate",
      /*  8 */ "  issuer: http://sso.example.com",
      /*  9 */ "  resource: http://127.0.0.1:8788/mcp",
      /* 10 */ "upstream:",
      /* 11 */ "  credentials: upstream-token",
      /* 12 */ "scopes:",
      /* 13 */ "  todo_api:reed: { description: Read }",
      /* 14 */ "tools:",
      /* 15 */ "  visibility: hidden",
      /* 16 */ "  exclude: { operations: [delteTodo] }",
      /* 17 */ "  overrides:",
      /* 18 */ "    updateTodo: { hiddenParameters: { complete: true } }",
    ].join("\n");
    const got = await run(`${config}\n`);
    expect(got.errors).toEqual([
      "bridge.yaml:5:14: api.timeoutMs: must be at least 100 (got 10)",
      'bridge.yaml:8:11: identity.issuer: "http://sso.example.com" must use https (http only on 127.0.0.1, localhost or [::1])',
      "bridge.yaml:11:16: upstream.credentials: upstream-token is not available with identity.provider: pingfederate (use token-exchange, or none for an API that needs no credentials)",
      'bridge.yaml:13:3: scopes["todo_api:reed"]: no selected operation or override uses this scope and the spec does not declare it (did you mean "todo_api:read"?)',
      'bridge.yaml:15:15: tools.visibility: "hidden" is not valid; expected one of hide, list (did you mean "hide"?)',
      'bridge.yaml:16:27: operationId "delteTodo" does not exist in the spec (did you mean "deleteTodo"?)',
      'bridge.yaml:18:39: hidden parameter "complete" is not a parameter or body property of updateTodo (did you mean "completed"?)',
      "bridge.yaml:16:3: note: not checked until tools.exclude is fixed: scopes of left-out operations, scopes without claim rules, security schemes and tools anyone may call",
    ]);
  });

  it("after a YAML syntax error, says nothing else was checked", async () => {
    const got = await run(todo({ 3: "  spec: [openapi/todo-api.yaml" }));
    expect(got.errors).toEqual([
      "bridge.yaml:4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "bridge.yaml:4:3: note: nothing else was checked: past a YAML syntax error the file cannot be read reliably (fix it first)",
    ]);
  });

  it("with upstream broken, the note names the section, not the key each rule reads", async () => {
    const got = await run(todo({ 11: "  credentials: tokenexchange" }));
    expect(got.errors).toEqual([
      'bridge.yaml:11:16: upstream.credentials: "tokenexchange" is not valid; expected one of token-exchange, upstream-token, access-linked-app, none (did you mean "token-exchange"?)',
      "bridge.yaml:10:1: note: not checked until upstream is fixed: provider × upstream.credentials, claim rules, Worker variable names and security schemes",
    ]);
  });

  it("with identity broken, the rules that need it are named in one note", async () => {
    const got = await run(todo({ 6: "  provider: pingfed" }));
    expect(got.errors).toEqual([
      'bridge.yaml:6:13: identity.provider: "pingfed" is not valid; expected one of pingfederate, pingone, access (did you mean "pingfederate"?)',
      "bridge.yaml:5:1: note: not checked until identity is fixed: provider × upstream.credentials, claim rules, Worker variable names, the CIMD compatibility flag and scopes without claim rules",
    ]);
  });
});
