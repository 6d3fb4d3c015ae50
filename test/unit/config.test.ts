import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ConfigError, configDiagnostic, formatDiagnostic } from "../../scripts/generator/config/errors.ts";
import { loadConfig, parseConfigText } from "../../scripts/generator/config/load.ts";
import { closest, editDistance } from "../../scripts/generator/config/suggest.ts";
import { emitBridgeSchema, SCHEMA_SOURCES } from "../../scripts/generator/emit/bridge-schema.ts";
import { emitConfig, runtimeConfig } from "../../scripts/generator/emit/config.ts";
import type { Model } from "../../scripts/generator/model/types.ts";

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

/** Line numbers matter in these tests: they are written next to each line. */
const MINIMAL_LINES = [
  /*  1 */ "api:",
  /*  2 */ "  name: todo",
  /*  3 */ "  spec: openapi/todo-api.yaml",
  /*  4 */ "  baseUrl: http://127.0.0.1:8787",
  /*  5 */ "identity:",
  /*  6 */ "  provider: pingfederate",
  /*  7 */ "  issuer: http://127.0.0.1:9031",
  /*  8 */ "  resource: http://127.0.0.1:8788/mcp",
  /*  9 */ "upstream:",
  /* 10 */ "  credentials: token-exchange",
  /* 11 */ "  audience: http://127.0.0.1:8787",
];
const MINIMAL = yaml(...MINIMAL_LINES);

/**
 * MINIMAL with some lines replaced (null deletes: only where later line numbers do not matter) and more appended.
 */
function edited(changes: Record<number, string | null>, ...appended: string[]): string {
  const lines = MINIMAL_LINES.flatMap((line, index) => {
    const change = changes[index + 1];
    return change === undefined ? [line] : change === null ? [] : [change];
  });
  return yaml(...lines, ...appended);
}

/** The diagnostics' formatted lines, asserting that the text is rejected with a ConfigError. */
function problems(text: string, file = "bridge.yaml"): string[] {
  try {
    parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).toBe(configError.diagnostics.map(formatDiagnostic).join("\n"));
    return configError.diagnostics.map(formatDiagnostic);
  }
  throw new Error("expected a ConfigError");
}

const FULL_PINGFEDERATE = yaml(
  "# yaml-language-server: $schema=./generated/bridge.schema.json",
  "api:",
  "  name: todo",
  "  spec: openapi/todo-api.yaml",
  "  baseUrl: https://api.example.com",
  "  baseUrlEnv: TODO_BASE_URL",
  "  timeoutMs: 10000",
  "  maxResponseBytes: 65536",
  "identity:",
  "  provider: pingfederate",
  "  issuer: https://sso.example.com:9031",
  "  resource: https://bridge.example.com/mcp",
  "  client:",
  "    idEnv: PF_CLIENT_ID",
  "    secretEnv: PF_CLIENT_SECRET",
  "  tokenValidation: introspection",
  "  jwksUri: https://sso.example.com:9031/ext/jwks",
  "  introspectionEndpoint: https://sso.example.com:9031/as/introspect.oauth2",
  "  tokenEndpoint: https://sso.example.com:9031/as/token.oauth2",
  "  algorithms: [RS256, ES384]",
  "upstream:",
  "  credentials: token-exchange",
  "  audience: https://api.example.com",
  "  resource: https://api.example.com/",
  "scopes:",
  "  todo:read:",
  "    description: Read your todos",
  "    grantTo:",
  "      emailDomains: [example.com]",
  "      groups: [staff]",
  "  todo:write:",
  "    description: Change your todos",
  "    grantTo:",
  "      users: [alice@example.com]",
  "tools:",
  "  visibility: list",
  "  include:",
  "    tags: [todos]",
  "    methods: [get, post]",
  "  exclude:",
  "    paths: ['/admin/**']",
  "  outputSchemas: none",
  "  listBudgetTokens: 8000",
  "  overrides:",
  "    listTodos:",
  "      name: list_todos",
  "      scopes: ['todo:read']",
  "      annotations: { readOnlyHint: true, title: List todos }",
  "      hiddenParameters: { tenant: acme, limit: 50 }",
  "    deleteTodo:",
  "      visibility: hide",
);

const FULL_PINGONE = yaml(
  "api: { name: todo, spec: openapi/todo-api.yaml }",
  "identity:",
  "  provider: pingone",
  "  issuer: https://auth.pingone.eu/0f6c1d57-8e1a-4c2b-9d7e-1234567890ab/as",
  "  resource: https://bridge.example.com/mcp",
  "  client: { idEnv: P1_CLIENT_ID, secretEnv: P1_CLIENT_SECRET }",
  "  acrValues: '5f9d6a2c'",
  "  loginScopes: [openid, email]",
  "upstream:",
  "  credentials: upstream-token",
);

const FULL_ACCESS = yaml(
  "api: { name: todo, spec: openapi/todo-api.yaml, baseUrl: https://todo.internal, binding: TODO_API }",
  "identity:",
  "  provider: access",
  "  mode: saas",
  "  teamDomain: https://acme.cloudflareaccess.com",
  "  aud: 3a7b9c",
  "  resource: https://bridge.example.com/mcp",
  "  client: { idEnv: ACCESS_CLIENT_ID, secretEnv: ACCESS_CLIENT_SECRET }",
  "upstream:",
  "  credentials: access-linked-app",
);

describe("parseConfigText: valid files", () => {
  it("parses the minimal config and fills in every default", () => {
    const loaded = parseConfigText(MINIMAL, "examples/todo/bridge.yaml");
    expect(loaded.path).toBe("examples/todo/bridge.yaml");
    expect(loaded.dir).toBe(join(process.cwd(), "examples/todo"));
    expect(loaded.config).toEqual({
      api: {
        name: "todo",
        spec: "openapi/todo-api.yaml",
        baseUrl: "http://127.0.0.1:8787",
        timeoutMs: 30_000,
        maxResponseBytes: 1_048_576,
      },
      identity: {
        provider: "pingfederate",
        issuer: "http://127.0.0.1:9031",
        resource: "http://127.0.0.1:8788/mcp",
        tokenValidation: "jwt",
        algorithms: ["RS256", "ES256", "PS256"],
      },
      upstream: { credentials: "token-exchange", audience: "http://127.0.0.1:8787" },
      scopes: {},
      tools: {
        mode: "auto",
        discovery: { names: { search: "search_operations", describe: "describe_operation", call: "call_operation" }, answerBudgetTokens: 1_500 },
        scopeRules: [],
        visibility: "hide",
        outputSchemas: "auto",
        descriptions: "auto",
        arrayFormat: "brackets",
        listBudgetTokens: 25_000,
        overrides: {},
      },
    });
  });

  it.each([
    ["pingfederate", FULL_PINGFEDERATE],
    ["pingone", FULL_PINGONE],
    ["access", FULL_ACCESS],
  ])("parses a full %s config", (provider, text) => {
    const { config } = parseConfigText(text, "bridge.yaml");
    expect(config.identity.provider).toBe(provider);
    expect(config.tools.listBudgetTokens).toBe(provider === "pingfederate" ? 8000 : 25_000);
  });

  it("keeps what a full config says and defaults only the rest", () => {
    const { config } = parseConfigText(FULL_PINGFEDERATE, "bridge.yaml");
    expect(config.identity).toMatchObject({ tokenValidation: "introspection", algorithms: ["RS256", "ES384"] });
    expect(config.scopes["todo:read"]?.grantTo?.emailDomains).toEqual(["example.com"]);
    expect(config.tools.overrides["listTodos"]).toEqual({
      name: "list_todos",
      scopes: ["todo:read"],
      annotations: { readOnlyHint: true, title: "List todos" },
      hiddenParameters: { tenant: "acme", limit: 50 },
    });
    const pingone = parseConfigText(FULL_PINGONE, "bridge.yaml").config.identity;
    expect(pingone).toMatchObject({ acrValues: "5f9d6a2c", loginScopes: ["openid", "email"] });
    const access = parseConfigText(FULL_ACCESS, "bridge.yaml").config;
    expect(access.api.timeoutMs).toBe(30_000);
    expect(access.api.binding).toBe("TODO_API");
  });

  it("carries api.binding and api.baseUrlEnv into generated/config.ts", () => {
    // Access for SaaS gives the API the token of the sign-in (access-linked-app is self-hosted's: no adapter serves it).
    const model = (text: string) =>
      ({
        config: parseConfigText(text.replace("credentials: access-linked-app", "credentials: upstream-token"), "bridge.yaml").config,
        api: { title: "Todo API", version: "1.0.0" },
      }) as unknown as Model;
    expect(runtimeConfig(model(FULL_ACCESS)).api).toEqual({
      name: "todo",
      title: "Todo API",
      version: "1.0.0",
      timeoutMs: 30_000,
      maxResponseBytes: 1_048_576,
      baseUrl: "https://todo.internal",
      binding: "TODO_API",
    });
    expect(runtimeConfig(model(FULL_PINGFEDERATE)).api).toMatchObject({ baseUrlEnv: "TODO_BASE_URL" });
    expect(runtimeConfig(model(FULL_PINGFEDERATE)).api).not.toHaveProperty("binding");
    expect(emitConfig(model(FULL_ACCESS), "../src/config/runtime.ts")).toContain('binding: "TODO_API"');
  });

  it("follows YAML anchors and merge keys", () => {
    const text = yaml(
      "x-shared: &url http://127.0.0.1:8787",
      ...MINIMAL_LINES.slice(0, 3),
      "  baseUrl: *url",
      ...MINIMAL_LINES.slice(4),
    );
    // `x-shared` is not a bridge.yaml key: anchors must live inside known keys.
    expect(problems(text)).toEqual([
      'bridge.yaml:1:1: unknown key "x-shared" at the top level (valid keys: $schema, api, identity, upstream, scopes, tools)',
    ]);
    const merged = yaml(
      "api: &api { name: todo, spec: openapi/todo-api.yaml }",
      ...MINIMAL_LINES.slice(4),
      "scopes:",
      "  read: &scope",
      "    description: Read",
      "  write:",
      "    <<: *scope",
      "    description: Write",
    );
    const loaded = parseConfigText(merged, "bridge.yaml");
    expect(loaded.config.scopes).toEqual({ read: { description: "Read" }, write: { description: "Write" } });
  });
});

describe("parseConfigText: one problem of each kind, at the right place", () => {
  it.each<[string, string, string[]]>([
    [
      "an unknown key, at the key, with the closest valid key",
      edited({ 7: "  isuer: http://127.0.0.1:9031" }),
      [
        'bridge.yaml:5:1: identity: missing required key "issuer"',
        'bridge.yaml:7:3: unknown key "isuer" in identity (did you mean "issuer"?)',
      ],
    ],
    [
      "an unknown key with nothing close, listing the valid keys",
      edited({}, "  retries: 3"),
      ['bridge.yaml:12:3: unknown key "retries" in upstream (valid keys: credentials, audience, resource, schemes)'],
    ],
    [
      "an unknown top-level key",
      edited({}, "tool:", "  visibility: list"),
      ['bridge.yaml:12:1: unknown key "tool" at the top level (did you mean "tools"?)'],
    ],
    [
      "a bad discriminator value, at the value, with the closest one",
      edited({ 6: "  provider: pingfed" }),
      [
        'bridge.yaml:6:13: identity.provider: "pingfed" is not valid; expected one of pingfederate, pingone, access (did you mean "pingfederate"?)',
      ],
    ],
    [
      "a bad enum value",
      edited({ 10: "  credentials: tokenexchange" }),
      [
        'bridge.yaml:10:16: upstream.credentials: "tokenexchange" is not valid; expected one of token-exchange, upstream-token, access-linked-app, none (did you mean "token-exchange"?)',
      ],
    ],
    [
      "a bad enum value with nothing close",
      edited({}, "tools:", "  outputSchemas: verbose"),
      ['bridge.yaml:13:18: tools.outputSchemas: "verbose" is not valid; expected one of auto, full, compact, none'],
    ],
    [
      "a bad enum value inside a list",
      edited({}, "tools:", "  include:", "    methods: [get, POST]"),
      [
        'bridge.yaml:14:20: tools.include.methods[1]: "POST" is not valid; expected one of get, put, post, delete, options, head, patch, trace (did you mean "post"?)',
      ],
    ],
    [
      "a service binding name that is not a JavaScript identifier",
      edited({ 4: "  binding: todo-api" }),
      ['bridge.yaml:4:12: api.binding: "todo-api" is not valid: must be a binding name (a JavaScript identifier such as TODO_API)'],
    ],
    [
      "an invalid URL",
      edited({ 7: "  issuer: sso.example.com" }),
      ['bridge.yaml:7:11: identity.issuer: "sso.example.com" is not a valid absolute http(s) URL'],
    ],
    [
      "a URL with the wrong protocol",
      edited({ 4: "  baseUrl: ftp://127.0.0.1" }),
      ['bridge.yaml:4:12: api.baseUrl: "ftp://127.0.0.1" is not a valid absolute http(s) URL'],
    ],
    [
      "a regex failure, with the schema's explanation",
      edited({ 2: "  name: Todo API" }),
      ['bridge.yaml:2:9: api.name: "Todo API" is not valid: lower-case letters, digits and dashes, starting with a letter'],
    ],
    [
      "a wrong type (YAML read a number where a string was meant)",
      edited({ 4: "  baseUrl: 8787" }),
      ['bridge.yaml:4:12: api.baseUrl: expected a string, got the number 8787 (quote it to make it a string)'],
    ],
    [
      "a scalar where a mapping belongs",
      edited({ 9: "upstream: token-exchange", 10: null, 11: null }),
      ['bridge.yaml:9:11: upstream: expected a mapping, got the string "token-exchange"'],
    ],
    [
      "an empty value, at its key",
      edited({ 8: "  resource:" }),
      ["bridge.yaml:8:3: identity.resource: expected a string, got an empty value"],
    ],
    [
      "a number below the minimum",
      edited({ 4: "  timeoutMs: 50" }),
      ["bridge.yaml:4:14: api.timeoutMs: must be at least 100 (got 50)"],
    ],
    [
      "a number above the maximum",
      edited({ 4: "  timeoutMs: 600000" }),
      ["bridge.yaml:4:14: api.timeoutMs: must be at most 300000 (got 600000)"],
    ],
    [
      "a positive number that is not",
      edited({}, "tools:", "  listBudgetTokens: 0"),
      ["bridge.yaml:13:21: tools.listBudgetTokens: must be greater than 0 (got 0)"],
    ],
    [
      "a fraction where an integer belongs",
      edited({ 4: "  timeoutMs: 1500.5" }),
      ["bridge.yaml:4:14: api.timeoutMs: expected an integer, got the number 1500.5"],
    ],
    [
      "an empty string",
      edited({ 3: '  spec: ""' }),
      ["bridge.yaml:3:9: api.spec: must not be empty"],
    ],
    [
      "an empty list",
      edited({ 8: "  resource: http://127.0.0.1:8788/mcp\n  algorithms: []" }),
      ["bridge.yaml:9:15: identity.algorithms: must list at least one item"],
    ],
    [
      "a missing required key, at the key of the mapping that lacks it",
      edited({ 8: null }),
      ['bridge.yaml:5:1: identity: missing required key "resource"'],
    ],
    [
      "a missing discriminator",
      edited({ 6: null }),
      ['bridge.yaml:5:1: identity: missing required key "provider" (one of pingfederate, pingone, access)'],
    ],
    [
      "a missing top-level key, at the start of the document",
      yaml(...MINIMAL_LINES.slice(0, 8)),
      ['bridge.yaml:1:1: missing required top-level key "upstream"'],
    ],
    [
      "a record key that fails its schema, at the key",
      edited({}, "scopes:", '  "todo read":', "    description: Read todos"),
      [
        'bridge.yaml:13:3: scopes: key "todo read" is not valid: a scope is printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)',
      ],
    ],
    [
      "a problem under a key that is not an identifier",
      edited({}, "tools:", "  overrides:", "    todos.list:", "      name: List-Todos"),
      ['bridge.yaml:15:13: tools.overrides["todos.list"].name: "List-Todos" is not valid: snake_case, at most 64 characters'],
    ],
    [
      "a duplicate key",
      edited({ 4: "  name: other" }),
      ['bridge.yaml:4:3: duplicate key "name" (keys in a mapping must be unique)'],
    ],
    [
      "a YAML syntax error",
      edited({ 3: "  spec: [openapi/todo-api.yaml" }),
      [
        "bridge.yaml:4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
        "bridge.yaml:4:3: note: nothing else was checked: past a YAML syntax error the file cannot be read reliably (fix it first)",
      ],
    ],
    ["an empty file", "", ["bridge.yaml:1:1: the file is empty; expected a mapping with api, identity and upstream"]],
    [
      "a file of comments only",
      yaml("# nothing yet"),
      ["bridge.yaml:1:1: the file is empty; expected a mapping with api, identity and upstream"],
    ],
    [
      "a list at the top level",
      yaml("# a list", "- api"),
      ["bridge.yaml:2:1: the top level must be a mapping with api, identity and upstream; found a list"],
    ],
    [
      "a scalar at the top level",
      yaml("todo"),
      ['bridge.yaml:1:1: the top level must be a mapping with api, identity and upstream; found the string "todo"'],
    ],
  ])("%s", (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});

describe("parseConfigText: several problems at once", () => {
  it("reports every problem, sorted by position, each where it is", () => {
    const text = yaml(
      /*  1 */ "api:",
      /*  2 */ "  name: Todo",
      /*  3 */ "  spec: openapi/todo-api.yaml",
      /*  4 */ "  timeoutMs: 10",
      /*  5 */ "identity:",
      /*  6 */ "  provider: pingone",
      /*  7 */ "  isuer: https://auth.pingone.eu/env/as",
      /*  8 */ "  resource: https://bridge.example.com/mcp",
      /*  9 */ "  client: { idEnv: P1_CLIENT_ID, secretEnv: 'P1 SECRET' }",
      /* 10 */ "upstream:",
      /* 11 */ "  credentials: upstream",
      /* 12 */ "scopes:",
      /* 13 */ "  todo:read:",
      /* 14 */ "    descripton: Read todos",
      /* 15 */ "tools:",
      /* 16 */ "  visibility: hidden",
    );
    expect(problems(text)).toEqual([
      'bridge.yaml:2:9: api.name: "Todo" is not valid: lower-case letters, digits and dashes, starting with a letter',
      "bridge.yaml:4:14: api.timeoutMs: must be at least 100 (got 10)",
      'bridge.yaml:5:1: identity: missing required key "issuer"',
      'bridge.yaml:7:3: unknown key "isuer" in identity (did you mean "issuer"?)',
      'bridge.yaml:9:45: identity.client.secretEnv: "P1 SECRET" is not valid: must be a Worker variable name: ASCII letters, digits and _, not starting with a digit (did you mean "P1_SECRET"?)',
      'bridge.yaml:11:16: upstream.credentials: "upstream" is not valid; expected one of token-exchange, upstream-token, access-linked-app, none (did you mean "upstream-token"?)',
      'bridge.yaml:13:3: scopes["todo:read"]: missing required key "description"',
      'bridge.yaml:14:5: unknown key "descripton" in scopes["todo:read"] (did you mean "description"?)',
      'bridge.yaml:16:15: tools.visibility: "hidden" is not valid; expected one of hide, list (did you mean "hide"?)',
    ]);
  });

  it("reports a duplicate key together with schema problems", () => {
    expect(problems(edited({ 4: "  name: other", 10: "  credentials: nope" }))).toEqual([
      'bridge.yaml:4:3: duplicate key "name" (keys in a mapping must be unique)',
      'bridge.yaml:10:16: upstream.credentials: "nope" is not valid; expected one of token-exchange, upstream-token, access-linked-app, none (did you mean "none"?)',
    ]);
  });

  it("uses the file label as given", () => {
    expect(problems(edited({ 8: null }), "examples/x/bridge.yaml")).toEqual([
      'examples/x/bridge.yaml:5:1: identity: missing required key "resource"',
    ]);
  });

  it("does not suggest a key the mapping already has", () => {
    expect(problems(edited({}, "  audienc: x"))).toEqual([
      'bridge.yaml:12:3: unknown key "audienc" in upstream (valid keys: credentials, audience, resource, schemes)',
    ]);
  });
});

describe("locate and configDiagnostic", () => {
  const loaded = parseConfigText(FULL_PINGFEDERATE, "bridge.yaml");

  it.each<[string, (string | number)[], { line: number; col: number }]>([
    ["a scalar value", ["identity", "issuer"], { line: 11, col: 11 }],
    ["a flow-sequence item", ["identity", "algorithms", 1], { line: 20, col: 23 }],
    ["a block mapping value (its first key)", ["tools", "overrides", "listTodos"], { line: 46, col: 7 }],
    ["a key that needs quoting in a path", ["scopes", "todo:write", "description"], { line: 32, col: 18 }],
    ["a missing key: its deepest existing ancestor key", ["tools", "overrides", "createTodo", "name"], { line: 44, col: 3 }],
    ["a missing list index", ["identity", "algorithms", 5], { line: 20, col: 3 }],
    ["the document", [], { line: 2, col: 1 }],
  ])("locate: %s", (_name, at, position) => {
    expect(loaded.locate(at)).toEqual(position);
  });

  it("locateKey points at the key rather than the value", () => {
    expect(loaded.locateKey(["tools", "overrides", "deleteTodo"])).toEqual({ line: 50, col: 5 });
    expect(loaded.locate(["tools", "overrides", "deleteTodo"])).toEqual({ line: 51, col: 7 });
  });

  it("builds the generator's cross-reference diagnostics", () => {
    const unknownOperation = configDiagnostic(
      loaded,
      ["tools", "overrides", "deleteTodo"],
      'tools.overrides: no operation "deleteTodo" in the spec (did you mean "deleteTodos"?)',
      "key",
    );
    const unknownTag = configDiagnostic(loaded, ["tools", "include", "tags", 0], 'tag "todos" is not in the spec');
    const error = new ConfigError([unknownOperation, unknownTag]);
    expect(error.message).toBe(
      [
        'bridge.yaml:38:12: tag "todos" is not in the spec',
        'bridge.yaml:50:5: tools.overrides: no operation "deleteTodo" in the spec (did you mean "deleteTodos"?)',
      ].join("\n"),
    );
    expect(error.diagnostics[0]).toEqual({ file: "bridge.yaml", line: 38, col: 12, message: 'tag "todos" is not in the spec' });
  });
});

describe("loadConfig", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bridge-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a file and resolves its directory", async () => {
    const file = join(dir, "bridge.yaml");
    await writeFile(file, MINIMAL);
    const loaded = await loadConfig(file);
    expect(loaded.path).toBe(file);
    expect(loaded.dir).toBe(dir);
    expect(loaded.config.api.name).toBe("todo");
  });

  it("names the file in its diagnostics", async () => {
    const file = join(dir, "broken.yaml");
    await writeFile(file, edited({ 6: "  provider: ping" }));
    await expect(loadConfig(file)).rejects.toThrow(`${file}:6:13: identity.provider: "ping" is not valid`);
  });

  it("reports a file that cannot be read", async () => {
    const file = join(dir, "missing.yaml");
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await expect(loadConfig(file)).rejects.toThrow(new RegExp(`^${escaped}:1:1: cannot read the file: ENOENT`));
  });
});

describe("closest", () => {
  it.each<[string, string[], string | undefined]>([
    ["isuer", ["issuer", "resource"], "issuer"],
    ["isseur", ["resource", "issuer"], "issuer"],
    ["audiance", ["credentials", "audience", "resource"], "audience"],
    ["pingfed", ["pingfederate", "pingone", "access"], "pingfederate"],
    ["GET", ["get", "put", "post"], "get"],
    ["todos_lst", ["listTodos", "todos_list"], "todos_list"],
    ["createTodo", ["createTodos", "deleteTodo"], "createTodos"],
    ["xyz", ["api", "identity", "upstream"], undefined],
    ["ab", ["api"], undefined],
    ["verbose", ["full", "none"], undefined],
    ["", ["a"], undefined],
  ])("closest(%j) = %j", (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it.each<[string, string, number]>([
    ["kitten", "sitting", 3],
    ["issuer", "isseur", 1],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("editDistance(%j, %j) = %d", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

// A deliberately small JSON Schema checker (type, const, enum, required, properties, additionalProperties, oneOf,
// items, minItems, minLength, pattern, minimum/maximum): enough to show the exported schema accepts real configs and
// refuses typos, without a validator dependency.
type JsonSchema = { [keyword: string]: unknown };

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function schemaErrors(schema: JsonSchema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  const type = schema["type"];
  if (typeof type === "string" && type !== jsonType(value) && !(type === "number" && jsonType(value) === "integer")) {
    return [`${at}: expected ${type}`];
  }
  if ("const" in schema && schema["const"] !== value) errors.push(`${at}: expected ${String(schema["const"])}`);
  if (Array.isArray(schema["enum"]) && !schema["enum"].includes(value)) errors.push(`${at}: not in enum`);
  if (Array.isArray(schema["oneOf"])) {
    const matching = schema["oneOf"].filter((option: JsonSchema) => schemaErrors(option, value, at).length === 0);
    if (matching.length !== 1) errors.push(`${at}: matches ${matching.length} of oneOf`);
  }
  if (typeof value === "string") {
    if (typeof schema["minLength"] === "number" && value.length < schema["minLength"]) errors.push(`${at}: too short`);
    if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(value)) {
      errors.push(`${at}: does not match ${schema["pattern"]}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema["minimum"] === "number" && value < schema["minimum"]) errors.push(`${at}: below minimum`);
    if (typeof schema["maximum"] === "number" && value > schema["maximum"]) errors.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema["minItems"] === "number" && value.length < schema["minItems"]) errors.push(`${at}: too few items`);
    const items = schema["items"] as JsonSchema | undefined;
    if (items) value.forEach((item, i) => errors.push(...schemaErrors(items, item, `${at}[${i}]`)));
  }
  if (jsonType(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema["required"] ?? []) as string[]) {
      if (!(key in object)) errors.push(`${at}: missing ${key}`);
    }
    for (const [key, child] of Object.entries(object)) {
      const propertySchema = properties[key];
      const additional = schema["additionalProperties"];
      if (propertySchema) errors.push(...schemaErrors(propertySchema, child, `${at}.${key}`));
      else if (additional === false) errors.push(`${at}: additional property ${key}`);
      else if (typeof additional === "object" && additional !== null) {
        errors.push(...schemaErrors(additional as JsonSchema, child, `${at}.${key}`));
      }
    }
  }
  return errors;
}

describe("emitBridgeSchema", () => {
  const text = emitBridgeSchema();
  const schema = JSON.parse(text) as JsonSchema;
  const properties = schema["properties"] as Record<string, JsonSchema>;

  it("is deterministic, pretty-printed, and ends with a newline", () => {
    expect(emitBridgeSchema()).toBe(text);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    expect(text.split("\n").slice(0, 4)).toEqual([
      "{",
      '  "$schema": "http://json-schema.org/draft-07/schema#",',
      '  "$id": "urn:mcp-identity-bridge:bridge.schema.json",',
      '  "title": "bridge.yaml",',
    ]);
  });

  it("is kept in a cache folder and served from it, the same bytes, under a key of the code that makes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bridge-schema-"));
    try {
      expect(emitBridgeSchema(dir)).toBe(text);
      const [kept] = await readdir(join(dir, "bridge-schema"));
      expect(kept).toMatch(/^[0-9a-f]{64}\.json$/);
      // Served from the folder: what is kept there is what the next run gets.
      await writeFile(join(dir, "bridge-schema", kept!), `${text.slice(0, -2)}, "x": 1}\n`);
      expect(emitBridgeSchema(dir)).toBe(`${text.slice(0, -2)}, "x": 1}\n`);
      // A file cut short (never written so: one renamed into place is whole) is rendered again.
      await writeFile(join(dir, "bridge-schema", kept!), text.slice(0, 100));
      expect(emitBridgeSchema(dir)).toBe(text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("has a cache key that covers every module the schema is made from (config/schema.ts imports only zod)", async () => {
    const schemaSource = await readFile(SCHEMA_SOURCES[1]!, "utf8");
    expect([...schemaSource.matchAll(/^import\b[^;]*?from\s+"([^"]+)"/gms)].map((match) => match[1])).toEqual(["zod"]);
  });

  it("requires only the keys without defaults (io: input)", () => {
    expect(schema["required"]).toEqual(["api", "identity", "upstream"]);
    expect(properties["api"]?.["required"]).toEqual(["name", "spec"]);
    expect(properties["tools"]?.["required"]).toBeUndefined();
    const [pingfederate] = properties["identity"]?.["oneOf"] as JsonSchema[];
    expect(pingfederate?.["required"]).toEqual(["provider", "issuer", "resource"]);
  });

  it("closes the strict objects with additionalProperties: false", () => {
    expect(schema["additionalProperties"]).toBe(false);
    for (const key of ["api", "upstream", "tools"]) expect(properties[key]?.["additionalProperties"]).toBe(false);
    for (const option of properties["identity"]?.["oneOf"] as JsonSchema[]) {
      expect(option["additionalProperties"]).toBe(false);
    }
  });

  it.each([
    ["minimal", MINIMAL],
    ["full pingfederate", FULL_PINGFEDERATE],
    ["full pingone", FULL_PINGONE],
    ["full access", FULL_ACCESS],
  ])("accepts the %s config as written", (_name, configText) => {
    expect(schemaErrors(schema, parseYaml(configText))).toEqual([]);
  });

  it("refuses what the loader refuses", () => {
    const config = parseYaml(edited({ 7: "  isuer: http://127.0.0.1:9031" }, "tools:", "  visibility: hidden"));
    expect(schemaErrors(schema, config)).toEqual([
      "$.identity: matches 0 of oneOf",
      "$.tools.visibility: not in enum",
    ]);
  });
});
