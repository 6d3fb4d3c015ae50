import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../scripts/generator/config/errors.ts";
import { parseConfigText } from "../../../scripts/generator/config/load.ts";
import { buildModel, undeclaredPathVariables } from "../../../scripts/generator/model/build.ts";
import type { Model, ParameterModel, SpecVersion, ToolModel } from "../../../scripts/generator/model/types.ts";
import type { LoadedSpec, SpecDocument } from "../../../scripts/generator/spec/load.ts";

const json = (schema: unknown) => ({ "application/json": { schema } });
const todoRef = { $ref: "#/components/schemas/Todo" };
const write = [{ oauth2: ["todo_api:write"] }];

const TODO_SPEC: SpecDocument = {
  openapi: "3.1.0",
  info: { title: "Todo API", version: "1.0.0" },
  servers: [{ url: "https://{host}/v1", variables: { host: { default: "api.example.com" } } }],
  security: [{ oauth2: ["todo_api:read"] }],
  components: {
    securitySchemes: {
      oauth2: {
        type: "oauth2",
        flows: { clientCredentials: { tokenUrl: "https://idp.example.com/token", scopes: { "todo_api:read": "Read todos", "todo_api:write": "Change todos" } } },
      },
    },
    schemas: {
      Todo: {
        type: "object",
        required: ["id", "text", "completed"],
        properties: { id: { type: "string", readOnly: true }, text: { type: "string" }, completed: { type: "boolean" } },
      },
    },
  },
  paths: {
    "/api/todos": {
      get: {
        operationId: "listTodos",
        tags: ["todos"],
        summary: "List todos",
        description: "All of them.",
        responses: { "200": { description: "ok", content: json({ type: "array", items: todoRef }) } },
      },
      post: {
        operationId: "createTodo",
        tags: ["todos"],
        summary: "Create a todo",
        security: write,
        requestBody: { required: true, content: json(todoRef) },
        responses: { "201": { description: "created", content: json(todoRef) } },
      },
    },
    "/api/todos/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      patch: {
        operationId: "updateTodo",
        tags: ["todos"],
        security: write,
        requestBody: { content: json({ type: "object", properties: { completed: { type: "boolean" } } }) },
        responses: { "200": { description: "ok", content: json(todoRef) } },
      },
      delete: { operationId: "deleteTodo", tags: ["todos"], security: write, deprecated: true, responses: { "204": { description: "gone" } } },
    },
    "/api/todos/{id}/export": {
      post: {
        operationId: "exportTodo",
        tags: ["admin"],
        requestBody: { content: { "application/xml": { schema: { type: "object" } } } },
        responses: { "204": { description: "done" } },
      },
    },
    "/health": { get: { security: [], responses: { "200": { description: "ok", content: { "text/plain": { schema: { type: "string" } } } } } } },
  },
};

/** Line numbers matter: they are written next to each line. */
const CONFIG_LINES = [
  /*  1 */ "api:",
  /*  2 */ "  name: todo",
  /*  3 */ "  spec: openapi/todo.yaml",
  /*  4 */ "identity:",
  /*  5 */ "  provider: pingfederate",
  /*  6 */ "  issuer: http://127.0.0.1:9031",
  /*  7 */ "  resource: http://127.0.0.1:8788/mcp",
  /*  8 */ "upstream:",
  /*  9 */ "  credentials: none",
];

function spec(document: SpecDocument, version: SpecVersion = "3.1"): LoadedSpec {
  return { path: "openapi/todo.yaml", document, version };
}

/** bridge.yaml: the base lines, then `tools:` on line 10 and `toolsLines` from line 11 on. */
function config(toolsLines: string[] = []): string {
  return `${[...CONFIG_LINES, ...(toolsLines.length > 0 ? ["tools:", ...toolsLines] : [])].join("\n")}\n`;
}

function build(toolsLines: string[] = [], document: SpecDocument = TODO_SPEC, version: SpecVersion = "3.1"): Model {
  return buildModel(spec(document, version), parseConfigText(config(toolsLines), "bridge.yaml"));
}

function tool(model: Model, operationId: string): ToolModel {
  const found = model.tools.find((t) => t.operationId === operationId);
  if (!found) throw new Error(`no tool for ${operationId}`);
  return found;
}

/** The ConfigError's message, failing when building does not throw one. */
function configError(toolsLines: string[], document: SpecDocument = TODO_SPEC): string {
  try {
    build(toolsLines, document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

const hash6 = (identity: string): string => createHash("sha256").update(identity).digest("hex").slice(0, 6);
const str = { type: "string" };
/** A path parameter's plain string: never empty (the request builder refuses "", which would address another resource). */
const pathStr = { type: "string", minLength: 1 };
const bool = { type: "boolean" };

describe("buildModel: a whole 3.1 spec", () => {
  const model = build();

  // Paths in document order; within a path, methods in the order the OpenAPI specification lists them.
  it("names every selected operation, in spec order, and skips what it cannot send", () => {
    expect(model.tools.map((t) => [t.operationId, t.name])).toEqual([
      ["listTodos", "list_todos"],
      ["createTodo", "create_todo"],
      ["deleteTodo", "delete_todo"],
      ["updateTodo", "update_todo"],
      ["GET /health", "get_health"],
    ]);
    expect(model.skipped).toEqual([
      { operation: "exportTodo", pointer: "#/paths/~1api~1todos~1{id}~1export/post", reason: "request body media type application/xml is not supported" },
    ]);
  });

  it.each<[string, Partial<ToolModel>]>([
    [
      "listTodos",
      {
        pointer: "#/paths/~1api~1todos/get",
        title: "List todos",
        description: "List todos\n\nAll of them.",
        method: "GET",
        path: "/api/todos",
        input: { type: "object", properties: {}, additionalProperties: false },
        // An array response is described (and returned) as { result }.
        output: {
          contentType: "application/json",
          status: "200",
          wrap: "result",
          schema: { type: "object", properties: { result: { type: "array", items: { $ref: "#/$defs/Todo" } } }, required: ["result"] },
        },
        accepts: ["application/json"],
        scopes: ["todo_api:read"],
        annotations: { readOnlyHint: true },
        visibility: "hide",
      },
    ],
    [
      "createTodo",
      {
        input: { type: "object", properties: { text: str, completed: bool }, required: ["text", "completed"], additionalProperties: false },
        body: {
          contentType: "application/json",
          encoding: "json",
          required: true,
          schema: { $ref: "#/$defs/Todo" },
          spread: [{ key: "text", name: "text" }, { key: "completed", name: "completed" }],
        },
        output: { contentType: "application/json", status: "201", schema: { $ref: "#/$defs/Todo" } },
        scopes: ["todo_api:write"],
        annotations: { readOnlyHint: false },
      },
    ],
    [
      "updateTodo",
      {
        description: "",
        parameters: [{ key: "id", name: "id", in: "path", required: true, schema: pathStr, style: "simple", explode: false }],
        input: { type: "object", properties: { id: pathStr, completed: bool }, required: ["id"], additionalProperties: false },
        scopes: ["todo_api:write"],
      },
    ],
    [
      "deleteTodo",
      {
        deprecated: true,
        description: "Deprecated: prefer another tool when one does the same.",
        accepts: [],
        output: undefined,
        scopes: ["todo_api:write"],
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
      },
    ],
    ["GET /health", { name: "get_health", scopes: [], accepts: ["text/plain"], output: undefined, pointer: "#/paths/~1health/get" }],
  ])("%s", (operationId, want) => {
    const got = tool(model, operationId);
    expect(Object.fromEntries(Object.keys(want).map((key) => [key, got[key as keyof ToolModel]]))).toEqual(want);
  });

  it("keeps each direction's form of shared components", () => {
    expect(Object.fromEntries(model.schemas.input)).toEqual({
      Todo: { type: "object", required: ["text", "completed"], properties: { text: str, completed: bool } },
    });
    expect(Object.fromEntries(model.schemas.output)).toEqual({
      Todo: { type: "object", required: ["id", "text", "completed"], properties: { id: str, text: str, completed: bool } },
    });
  });

  it("describes the API and its scopes", () => {
    expect(model.api).toEqual({ title: "Todo API", version: "1.0.0", specVersion: "3.1", specPath: "openapi/todo.yaml", serverUrl: "https://api.example.com/v1", serverTemplate: "https://{host}/v1" });
    expect(model.scopes).toEqual([
      { name: "todo_api:read", description: "Read todos" },
      { name: "todo_api:write", description: "Change todos" },
    ]);
  });
});

describe("buildModel: bridge.yaml settings", () => {
  it.each<[string, string[], string, Partial<ToolModel>]>([
    [
      "overrides: name, title, description, scopes, annotations, visibility",
      [
        "  overrides:",
        "    listTodos:",
        "      name: todos",
        "      title: Your todos",
        "      description: '  Everything on your list.  '",
        "      scopes: [todo_api:write]",
        "      annotations: { openWorldHint: false }",
        "      visibility: list",
      ],
      "listTodos",
      {
        name: "todos",
        title: "Your todos",
        description: "Everything on your list.",
        scopes: ["todo_api:write"],
        annotations: { readOnlyHint: true, openWorldHint: false },
        visibility: "list",
      },
    ],
    [
      "a hidden parameter becomes a fixed value",
      ["  overrides:", "    updateTodo:", "      hiddenParameters: { completed: true }"],
      "updateTodo",
      {
        input: { type: "object", properties: { id: pathStr }, required: ["id"], additionalProperties: false },
        fixed: [{ in: "body", name: "completed", value: true, style: "form", explode: true }],
      },
    ],
    ["default visibility from tools.visibility", ["  visibility: list"], "deleteTodo", { visibility: "list" }],
    [
      "an override taking another operation's plain name: that operation is suffixed",
      ["  overrides:", "    createTodo:", "      name: list_todos"],
      "listTodos",
      { name: `list_todos_${hash6("GET /api/todos")}` },
    ],
  ])("%s", (_name, lines, operationId, want) => {
    const got = tool(build(lines), operationId);
    expect(Object.fromEntries(Object.keys(want).map((key) => [key, got[key as keyof ToolModel]]))).toEqual(want);
  });

  it.each<[string, string[], string[]]>([
    ["include by tag", ["  include: { tags: [admin] }"], []],
    ["include by path glob", ["  include: { paths: ['/api/todos/*'] }"], ["deleteTodo", "updateTodo"]],
    ["include by ** glob, exclude by method", ["  include: { paths: ['/api/**'] }", "  exclude: { methods: [delete, post] }"], ["listTodos", "updateTodo"]],
    ["exclude by operationId", ["  exclude: { operations: [GET /health, listTodos] }"], ["createTodo", "deleteTodo", "updateTodo"]],
  ])("selection: %s", (_name, lines, want) => {
    expect(build(lines).tools.map((t) => t.operationId)).toEqual(want);
  });

  it("an unsupported body of an excluded operation is not reported as skipped", () => {
    expect(build(["  exclude: { tags: [admin] }"]).skipped).toEqual([]);
  });

  it("records each operation include/exclude left out, with the name its tool would have had", () => {
    const model = build(["  exclude: { methods: [delete, get] }", "  overrides: { listTodos: { name: all_todos } }"]);
    expect(model.excluded).toEqual([
      { operation: "listTodos", pointer: "#/paths/~1api~1todos/get", name: "all_todos" },
      { operation: "deleteTodo", pointer: "#/paths/~1api~1todos~1{id}/delete", name: "delete_todo" },
      { operation: "GET /health", pointer: "#/paths/~1health/get", name: "get_health" },
    ]);
    expect(build().excluded).toEqual([]);
  });
});

describe("buildModel: bridge.yaml naming what the spec lacks", () => {
  // Each row: tools lines from line 11 on, and the whole expected message.
  it.each<[string, string[], string]>([
    [
      "include: an operationId",
      ["  include:", "    operations:", "      - listTodo"],
      'bridge.yaml:13:9: operationId "listTodo" does not exist in the spec (did you mean "listTodos"?)',
    ],
    [
      "exclude: an operationId in a flow sequence",
      ["  exclude: { operations: [deleteTodo, updatTodo] }"],
      'bridge.yaml:11:39: operationId "updatTodo" does not exist in the spec (did you mean "updateTodo"?)',
    ],
    ["include: a tag", ["  include:", "    tags: [todo]"], 'bridge.yaml:12:12: tag "todo" does not exist in the spec (did you mean "todos"?)'],
    [
      "include: a path glob",
      ["  include:", "    paths:", "      - /api/todo"],
      'bridge.yaml:13:9: path "/api/todo" matches no path in the spec (did you mean "/api/todos"?)',
    ],
    [
      "exclude: a quoted path glob in a flow sequence",
      ["  exclude:", "    paths: ['/helth']"],
      'bridge.yaml:12:13: path "/helth" matches no path in the spec (did you mean "/health"?)',
    ],
    [
      "overrides: an operationId (pointing at the key)",
      ["  overrides:", "    creatTodo:", "      description: Make one."],
      'bridge.yaml:12:5: operationId "creatTodo" does not exist in the spec (did you mean "createTodo"?)',
    ],
    [
      "overrides: a scope",
      ["  overrides:", "    createTodo:", "      scopes:", "        - todo_api:wirte"],
      'bridge.yaml:14:11: scope "todo_api:wirte" is declared neither in the spec nor under scopes: (did you mean "todo_api:write"?)',
    ],
    [
      "overrides: a hidden parameter (pointing at its key)",
      ["  overrides:", "    updateTodo:", "      hiddenParameters:", "        completd: true"],
      'bridge.yaml:14:9: hidden parameter "completd" is not a parameter or body property of updateTodo (did you mean "completed"?)',
    ],
    [
      "nothing close: the valid choices instead",
      ["  include:", "    tags: [zzzzzzzz]"],
      'bridge.yaml:12:12: tag "zzzzzzzz" does not exist in the spec (valid: todos, admin)',
    ],
    [
      "two overrides with the same tool name",
      ["  overrides:", "    listTodos:", "      name: todos", "    createTodo:", "      name: todos"],
      'bridge.yaml:15:13: tool name "todos" is also used by listTodos',
    ],
  ])("%s", (_name, lines, want) => {
    expect(configError(lines)).toBe(want);
  });

  it("reports every problem at once, in file order", () => {
    const message = configError([
      "  include:",
      "    tags: [todo]",
      "    operations: [listTodo]",
      "  overrides:",
      "    creatTodo: { title: x }",
    ]);
    expect(message.split("\n")).toEqual([
      'bridge.yaml:12:12: tag "todo" does not exist in the spec (did you mean "todos"?)',
      'bridge.yaml:13:18: operationId "listTodo" does not exist in the spec (did you mean "listTodos"?)',
      'bridge.yaml:15:5: operationId "creatTodo" does not exist in the spec (did you mean "createTodo"?)',
    ]);
  });

  it("a scope declared only in bridge.yaml is accepted", () => {
    const text = `${config(["  overrides:", "    listTodos:", "      scopes: [todo_api:admin]"])}scopes:\n  todo_api:admin: { description: Admin }\n`;
    const model = buildModel(spec(TODO_SPEC), parseConfigText(text, "bridge.yaml"));
    expect(tool(model, "listTodos").scopes).toEqual(["todo_api:admin"]);
    expect(model.scopes[0]).toEqual({ name: "todo_api:admin", description: "Admin" });
  });
});

describe("buildModel: Swagger 2.0", () => {
  const SWAGGER: SpecDocument = {
    swagger: "2.0",
    info: { title: "Pets", version: "2" },
    host: "api.example.com",
    basePath: "/v2/",
    schemes: ["http", "https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    securityDefinitions: { oauth: { type: "oauth2", flow: "implicit", authorizationUrl: "https://a", scopes: { "pets:read": "Read pets" } } },
    definitions: { Pet: { type: "object", required: ["name"], properties: { name: { type: "string" }, id: { type: "integer", readOnly: true } } } },
    paths: {
      "/pets": {
        get: {
          operationId: "listPets",
          security: [{ oauth: ["pets:read"] }],
          parameters: [{ name: "tags", in: "query", type: "array", items: { type: "string" }, collectionFormat: "multi" }],
          responses: { "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } } },
        },
        post: {
          operationId: "addPet",
          parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Pet" } }],
          responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Pet" } } },
        },
      },
      "/pets/{id}/photo": {
        post: {
          operationId: "uploadPhoto",
          consumes: ["multipart/form-data"],
          parameters: [
            { name: "id", in: "path", required: true, type: "integer" },
            { name: "file", in: "formData", type: "file", required: true },
          ],
          responses: { "204": { description: "stored" } },
        },
      },
    },
  };
  const model = build([], SWAGGER, "2.0");

  it("reads the server from host, basePath and the https scheme", () => {
    expect(model.api.serverUrl).toBe("https://api.example.com/v2");
  });

  it.each<[string, Partial<ToolModel>]>([
    [
      "listPets",
      {
        parameters: [{ key: "tags", name: "tags", in: "query", required: false, schema: { type: "array", items: str }, style: "form", explode: true }],
        output: {
          contentType: "application/json",
          status: "200",
          wrap: "result",
          schema: { type: "object", properties: { result: { type: "array", items: { $ref: "#/$defs/Pet" } } }, required: ["result"] },
        },
        scopes: ["pets:read"],
      },
    ],
    [
      "addPet",
      {
        input: { type: "object", properties: { name: str }, required: ["name"], additionalProperties: false },
        body: { contentType: "application/json", encoding: "json", required: true, schema: { $ref: "#/$defs/Pet" }, spread: [{ key: "name", name: "name" }] },
        output: { contentType: "application/json", status: "200", schema: { $ref: "#/$defs/Pet" } },
        scopes: [],
      },
    ],
    [
      "uploadPhoto",
      {
        input: {
          type: "object",
          properties: { id: { type: "integer" }, file: { type: "string", contentEncoding: "base64" } },
          required: ["id", "file"],
          additionalProperties: false,
        },
        body: {
          contentType: "multipart/form-data",
          encoding: "multipart",
          required: true,
          schema: { type: "object", properties: { file: { type: "string", contentEncoding: "base64" } }, required: ["file"] },
          parts: [{ name: "file", kind: "file" }],
          spread: [{ key: "file", name: "file" }],
        },
      },
    ],
  ])("%s", (operationId, want) => {
    const got = tool(model, operationId);
    expect(Object.fromEntries(Object.keys(want).map((key) => [key, got[key as keyof ToolModel]]))).toEqual(want);
  });
});

describe("buildModel: operationIds that are Object.prototype members", () => {
  it("an operationId `constructor` has no override unless bridge.yaml gives one", () => {
    const document: SpecDocument = {
      openapi: "3.1.0",
      info: { title: "T", version: "1" },
      paths: { "/a": { get: { operationId: "constructor", responses: {} } }, "/b": { get: { operationId: "toString", responses: {} } } },
    };
    expect(build([], document).tools.map((t) => [t.name, t.title, t.visibility])).toEqual([
      ["constructor", undefined, "hide"],
      ["to_string", undefined, "hide"],
    ]);
    expect(build(["  overrides:", "    toString: { name: stringify }"], document).tools.map((t) => t.name)).toEqual(["constructor", "stringify"]);
  });
});

describe("buildModel: notices", () => {
  it("a path variable without a parameter is added as a required string, with a notice", () => {
    const document: SpecDocument = {
      openapi: "3.0.3",
      info: { title: "T", version: "1" },
      paths: { "/things/{thingId}": { get: { operationId: "getThing", responses: { "204": { description: "ok" } } } } },
    };
    const model = build([], document, "3.0");
    expect(tool(model, "getThing").parameters).toEqual([
      { key: "thingId", name: "thingId", in: "path", required: true, schema: str, style: "simple", explode: false },
    ]);
    expect(model.notices).toEqual([{ pointer: "#/paths/~1things~1{thingId}/get", message: "path variable {thingId} has no parameter: added as a required string" }]);
  });
});

describe("undeclaredPathVariables", () => {
  // The set-and-matchAll form it replaced (it allocated for every operation), held against the loop.
  const reference = (path: string, parameters: ParameterModel[]): string[] => {
    const declared = new Set(parameters.filter((p) => p.in === "path").map((p) => p.name));
    return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((name) => !declared.has(name));
  };
  const param = (name: string, location: ParameterModel["in"]): ParameterModel => ({ key: name, name, in: location, required: true, schema: str, style: "simple", explode: false });
  const cases: [string, ParameterModel[]][] = [
    ["/things", []],
    ["/things/{id}", [param("id", "path")]],
    ["/things/{id}", [param("id", "query")]],
    ["/things/{id}/parts/{part}/{id}", [param("part", "path")]],
    ["/a/{x}{y}/b.{ext}", [param("y", "path"), param("z", "path")]],
    ["/broken/{open", []],
    ["/empty/{}", []],
  ];
  it.each(cases)("%s: the variables no path parameter declares, in template order", (path, parameters) => {
    expect(undeclaredPathVariables(path, parameters)).toEqual(reference(path, parameters));
  });
});

describe("buildModel: request bodies on GET and HEAD", () => {
  it("leaves the body out of the tool, with a notice naming the operation; DELETE keeps its body", () => {
    const body = { content: json({ type: "object", properties: { expand: { type: "array", items: str } } }) };
    const document: SpecDocument = {
      openapi: "3.0.3",
      info: { title: "T", version: "1" },
      paths: {
        "/things": {
          get: { operationId: "listThings", requestBody: body, responses: { "204": { description: "ok" } } },
          head: { operationId: "headThings", requestBody: body, responses: { "204": { description: "ok" } } },
          delete: { operationId: "deleteThings", requestBody: body, responses: { "204": { description: "ok" } } },
        },
      },
    };
    const model = build([], document, "3.0");
    expect(tool(model, "listThings").body).toBeUndefined();
    expect(tool(model, "listThings").input).toEqual({ type: "object", properties: {}, additionalProperties: false });
    expect(tool(model, "headThings").body).toBeUndefined();
    expect(tool(model, "deleteThings").body?.spread).toEqual([{ key: "expand", name: "expand" }]);
    expect(model.notices).toEqual([
      { pointer: "#/paths/~1things/get", message: "a GET or HEAD request cannot carry a body: the request body the spec gives listThings, headThings is left out of their tools" },
    ]);
  });
});

describe("buildModel: arrayFormat", () => {
  const form = (schema: unknown, encoding: unknown) => ({ "application/x-www-form-urlencoded": { schema, encoding } });
  const document: SpecDocument = {
    openapi: "3.0.3",
    info: { title: "T", version: "1" },
    paths: {
      "/customers": {
        get: {
          operationId: "listCustomers",
          parameters: [
            { name: "expand", in: "query", style: "deepObject", explode: true, schema: { type: "array", items: str } },
            { name: "ids", in: "query", schema: { type: "array", items: str } },
            { name: "q", in: "query", schema: str },
          ],
          responses: { "204": { description: "ok" } },
        },
        post: {
          operationId: "createCustomer",
          requestBody: {
            content: form(
              { type: "object", properties: { metadata: { type: "object" }, tags: { type: "array", items: str }, name: str } },
              { metadata: { style: "deepObject", explode: true } },
            ),
          },
          responses: { "204": { description: "ok" } },
        },
      },
    },
  };
  const buildWith = (lines: string[]) => buildModel(spec(document, "3.0"), parseConfigText(config(lines), "bridge.yaml"));

  it("deepObject parameters and styled fields get the default, an operation's or a parameter's own", () => {
    const defaults = buildWith([]);
    expect(tool(defaults, "listCustomers").parameters.map((p) => [p.name, p.style, p.arrayFormat])).toEqual([
      ["expand", "deepObject", "brackets"],
      ["ids", "form", undefined],
      ["q", "form", undefined],
    ]);
    expect(tool(defaults, "createCustomer").body?.parts).toEqual([{ name: "metadata", kind: "style", style: "deepObject", explode: true, arrayFormat: "brackets" }]);

    const configured = buildWith([
      "  arrayFormat: repeat",
      "  overrides:",
      "    createCustomer:",
      "      arrayFormat: indices",
      "      parameters: { tags: { arrayFormat: brackets } }",
      "    listCustomers:",
      "      parameters: { ids: { arrayFormat: indices } }",
    ]);
    // A parameter's own format on an array sent as repeated fields switches it to the bracket convention.
    expect(tool(configured, "listCustomers").parameters.map((p) => [p.name, p.style, p.arrayFormat])).toEqual([
      ["expand", "deepObject", "repeat"],
      ["ids", "deepObject", "indices"],
      ["q", "form", undefined],
    ]);
    expect(tool(configured, "createCustomer").body?.parts).toEqual([
      { name: "metadata", kind: "style", style: "deepObject", explode: true, arrayFormat: "indices" },
      { name: "tags", kind: "style", style: "deepObject", explode: true, arrayFormat: "brackets" },
    ]);
  });

  it.each([
    [
      "a name that is no parameter or field",
      ["  overrides:", "    listCustomers:", "      parameters:", "        expnd: { arrayFormat: indices }"],
      'bridge.yaml:14:9: "expnd" is not a parameter or body field of listCustomers (did you mean "expand"?)',
    ],
    [
      "a parameter with no arrays to format",
      ["  overrides:", "    listCustomers:", "      parameters:", "        q: { arrayFormat: indices }"],
      'bridge.yaml:14:27: arrayFormat does not apply to "q" of listCustomers: it is a query parameter sent with style form (exploded); it applies to deepObject parameters, styled form fields and arrays sent as repeated fields',
    ],
  ])("%s is a bridge.yaml error", (_name, lines, want) => {
    expect(configError(lines, document)).toBe(want);
  });
});

describe("buildModel: path- and operation-level servers", () => {
  const ok = { "204": { description: "ok" } };
  const document: SpecDocument = {
    openapi: "3.1.0",
    info: { title: "T", version: "1" },
    servers: [{ url: "https://api.example.com/v1" }],
    paths: {
      "/files": {
        servers: [{ url: "https://files.example.com" }],
        post: { operationId: "uploadFile", responses: ok },
        get: { operationId: "listFiles", servers: [{ url: "https://{region}.cdn.example.com/{v}", variables: { region: { default: "eu", enum: ["eu", "us"] }, v: { default: "v2" } } }], responses: ok },
      },
      "/things": {
        get: { operationId: "listThings", servers: [{ url: "https://api.example.com/v1/" }], responses: ok },
        put: { operationId: "putThings", servers: [{ url: "https://mirror.example.com" }, { url: "//api.example.com/v1" }], responses: ok },
        post: { operationId: "createThing", servers: [{ url: "/v3" }], responses: ok },
        delete: { operationId: "deleteThings", servers: [], responses: ok },
      },
    },
  };
  const buildWith = (lines: string[]) => buildModel(spec(document), parseConfigText(config(lines), "bridge.yaml"));
  const servers = (model: Model) => Object.fromEntries(model.tools.map((t) => [t.operationId, t.server]));

  it("sends each operation to its own server, its path's, or (the API's among them, or empty) the API's base URL", () => {
    const model = buildWith([]);
    expect(servers(model)).toEqual({
      uploadFile: { template: "https://files.example.com", url: "https://files.example.com" },
      listFiles: { template: "https://{region}.cdn.example.com/{v}", url: "https://eu.cdn.example.com/v2" },
      listThings: undefined,
      // The API's own server (written scheme-relative) is among its servers: the API's base URL.
      putThings: undefined,
      createThing: { template: "/v3", url: "/v3" },
      deleteThings: undefined,
    });
    expect(model.notices.map((n) => n.message)).toEqual([
      "listFiles is sent to its own server https://eu.cdn.example.com/v2, with the same upstream credentials",
      "uploadFile is sent to its own server https://files.example.com, with the same upstream credentials",
      "createThing is sent to its own server /v3, with the same upstream credentials",
    ]);
  });

  it("bridge.yaml api.servers: variables, a replacement URL and a run-time override per server", () => {
    const CONFIG = CONFIG_LINES.join("\n").replace(
      "  spec: openapi/todo.yaml",
      [
        "  spec: openapi/todo.yaml",
        "  servers:",
        '    "https://{region}.cdn.example.com/{v}": { variables: { region: us }, urlEnv: CDN_URL }',
        '    "https://files.example.com": { url: "https://files.staging.example.com" }',
      ].join("\n"),
    );
    const model = buildModel(spec(document), parseConfigText(`${CONFIG}\n`, "bridge.yaml"));
    expect(servers(model)["listFiles"]).toEqual({ template: "https://{region}.cdn.example.com/{v}", url: "https://us.cdn.example.com/v2", urlEnv: "CDN_URL" });
    expect(servers(model)["uploadFile"]).toEqual({ template: "https://files.example.com", url: "https://files.staging.example.com" });
  });

  it.each([
    [
      "a value outside the variable's enum",
      '    "https://{region}.cdn.example.com/{v}": { variables: { region: asia } }',
      'bridge.yaml:5:68: "asia" is not one of the values server https://{region}.cdn.example.com/{v} allows for {region}: eu, us',
    ],
    [
      "a variable the server does not have",
      '    "https://{region}.cdn.example.com/{v}": { variables: { zone: a } }',
      'bridge.yaml:5:60: server https://{region}.cdn.example.com/{v} has no variable "zone" (it has: region, v)',
    ],
    ["a server no operation uses", '    "https://file.example.com": { urlEnv: X }', 'bridge.yaml:5:5: no operation is sent to server https://file.example.com (did you mean "https://files.example.com"?)'],
    ["the API's own server", '    "https://api.example.com/v1": { urlEnv: X }', "bridge.yaml:5:5: https://api.example.com/v1 is the API's own server: set api.baseUrl / api.baseUrlEnv instead"],
  ])("%s is a bridge.yaml error", (_name, line, want) => {
    const text = CONFIG_LINES.join("\n").replace("  spec: openapi/todo.yaml", `  spec: openapi/todo.yaml\n  servers:\n${line}`);
    let message = "";
    try {
      buildModel(spec(document), parseConfigText(`${text}\n`, "bridge.yaml"));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toBe(want);
  });
});

describe("buildModel: a form body's fields from allOf", () => {
  it("lists the schema's own fields, then each allOf member's that the own ones lack, in order", () => {
    const styled = { style: "deepObject", explode: true };
    const document: SpecDocument = {
      openapi: "3.0.3",
      info: { title: "T", version: "1" },
      paths: {
        "/things": {
          post: {
            operationId: "createThing",
            requestBody: {
              content: {
                "application/x-www-form-urlencoded": {
                  schema: {
                    type: "object",
                    properties: { a: { type: "object" } },
                    allOf: [{ properties: { a: { type: "object" }, b: { type: "object" } } }, { $ref: "#/components/schemas/More" }],
                  },
                  encoding: { a: styled, b: styled, c: styled },
                },
              },
            },
            responses: { "204": { description: "ok" } },
          },
        },
      },
      components: { schemas: { More: { properties: { c: { type: "object" }, b: { type: "object" } } } } },
    };
    const model = buildModel(spec(document, "3.0"), parseConfigText(config(), "bridge.yaml"));
    // b is given by both members: each member's fields are checked against the own ones only (as before).
    expect(tool(model, "createThing").body?.parts?.map((p) => p.name)).toEqual(["a", "b", "c", "b"]);
  });
});
