/**
 * The contract test: every response of the Todo API, success and error, checked against openapi/todo-api.yaml with a
 * JSON Schema 2020-12 validator (ajv): the status must be documented for the operation, the body must match the
 * response's schema (no body for 204), the content type its media type, and the required headers (Location,
 * WWW-Authenticate) must be present and match theirs. Finally every documented status of every operation must have
 * been seen.
 *
 * It runs in Node, not workerd: ajv compiles validators with `new Function`, which workerd forbids. The Worker runs
 * in workerd all the same, started from its wrangler.jsonc by wrangler's test harness.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { parse } from "yaml";
import "../provided.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SPEC_ID = "https://todo-api.test/openapi.yaml";
const spec = parse(readFileSync(`${ROOT}openapi/todo-api.yaml`, "utf8")) as Spec;
const context = inject("todoApi");

interface Spec {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  [key: string]: unknown;
}

// ---- the spec as a schema source ------------------------------------------------------------------------------

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
// The OpenAPI document's own fields are no JSON Schema keywords: declare them so strict mode accepts the document,
// whose schemas are then addressed by JSON pointer (their relative `$ref`s resolve against it).
for (const keyword of ["openapi", "info", "servers", "tags", "paths", "components", "security", "webhooks", "externalDocs"]) {
  ajv.addKeyword(keyword);
}
ajv.addSchema({ ...spec, $id: SPEC_ID });

const validators = new Map<string, ValidateFunction>();
function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (validate === undefined) {
    const fragment = pointer.split("/").map((part) => encodeURIComponent(part)).join("/");
    validate = ajv.compile({ $ref: `${SPEC_ID}#${fragment}` });
    validators.set(pointer, validate);
  }
  return validate;
}

const escape = (part: string) => part.replaceAll("~", "~0").replaceAll("/", "~1");

/** The node at a JSON pointer in the spec, following a `$ref` there (to `components`): the node and where it is. */
function at(pointer: string): { node: Record<string, unknown>; pointer: string } {
  let node: unknown = spec;
  for (const part of pointer.split("/").slice(1)) {
    node = (node as Record<string, unknown>)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === "string" && ref.startsWith("#/")) return at(ref.slice(1));
  return { node: node as Record<string, unknown>, pointer };
}

// ---- the Worker and its callers --------------------------------------------------------------------------------

let harness: TestHarness;

beforeAll(async () => {
  harness = createTestHarness({
    root: ROOT,
    workers: [{
      configPath: "examples/todo-api/wrangler.jsonc",
      vars: { ISSUER: context.issuer, AUDIENCE: context.audience, JWKS_URL: context.jwksUrl },
    }],
  });
  await harness.listen();
});

afterAll(async () => {
  await harness?.close();
});

async function token(scope: string, sub = "contract-user", key = context.keys.current): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: context.issuer, aud: context.audience, sub, scope, iat: now, exp: now + 300 })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(await importJWK(key.privateJwk, "RS256"));
}

interface Exchange {
  method: string;
  /** The path template of the spec (`/api/todos/{id}`). */
  template: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

async function send(
  method: string,
  template: string,
  path: string,
  options: { token?: string; body?: string; contentType?: string } = {},
): Promise<Exchange> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await harness.fetch(path, { method, headers, body: options.body });
  return { method, template, path, status: response.status, headers: response.headers, text: await response.text() };
}

// ---- checking a response against the spec ---------------------------------------------------------------------

const seen = new Set<string>();

function errorsOf(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: "; " });
}

/** Checks one exchange against its operation's documented response; returns the parsed body. */
function expectConforms(exchange: Exchange): unknown {
  const { method, template, status } = exchange;
  const operationPointer = `/paths/${escape(template)}/${method.toLowerCase()}`;
  const operation = at(operationPointer).node as { operationId: string; responses: Record<string, unknown> };
  const label = `${operation.operationId} → ${status}`;
  expect(Object.keys(operation.responses), `${label}: status not documented`).toContain(String(status));
  seen.add(`${operation.operationId} ${status}`);

  const response = at(`${operationPointer}/responses/${status}`);
  const content = response.node["content"] as Record<string, unknown> | undefined;
  for (const name of Object.keys((response.node["headers"] ?? {}) as Record<string, unknown>)) {
    const declared = at(`${response.pointer}/headers/${escape(name)}`);
    const value = exchange.headers.get(name);
    if (declared.node["required"] === true) expect(value, `${label}: header ${name}`).not.toBeNull();
    if (value !== null) {
      const validate = validatorAt(`${declared.pointer}/schema`);
      expect(validate(value), `${label}: header ${name}: ${errorsOf(validate)}`).toBe(true);
    }
  }
  if (content === undefined) {
    expect(exchange.text, `${label}: no body expected`).toBe("");
    return undefined;
  }
  const mediaType = (exchange.headers.get("content-type") ?? "").split(";")[0]!.trim();
  expect(Object.keys(content), `${label}: content type`).toContain(mediaType);
  const body = JSON.parse(exchange.text) as unknown;
  const validate = validatorAt(`${response.pointer}/content/${escape(mediaType)}/schema`);
  expect(validate(body), `${label}: body ${exchange.text}: ${errorsOf(validate)}`).toBe(true);
  return body;
}

/** A response outside any operation (unknown path, wrong method) must still be the spec's `Error`. */
function expectError(exchange: Exchange): void {
  expect(exchange.headers.get("content-type")).toBe("application/json");
  const validate = validatorAt("/components/schemas/Error");
  const body = JSON.parse(exchange.text) as unknown;
  expect(validate(body), `${exchange.method} ${exchange.path}: ${errorsOf(validate)}`).toBe(true);
}

// ---- the exchanges ---------------------------------------------------------------------------------------------

const LIST = "/api/todos";
const ONE = "/api/todos/{id}";
const READ = "todo_api:read";
const WRITE = "todo_api:write";
const BOTH = `${READ} ${WRITE}`;
const MISSING = "3f2b8c1e-5d4a-4e7b-9a61-2c8d0f1e7a42";

describe("every response conforms to openapi/todo-api.yaml", () => {
  it("listTodos", async () => {
    const user = `contract-${crypto.randomUUID()}`;
    const full = await token(BOTH, user);
    expectConforms(await send("GET", LIST, LIST, { token: full }));
    await send("POST", LIST, LIST, { token: full, body: JSON.stringify({ todoText: "listed" }) });
    const listed = expectConforms(await send("GET", LIST, LIST, { token: full })) as { todos: unknown[] };
    expect(listed.todos).toHaveLength(1);
    expectConforms(await send("GET", LIST, `${LIST}?completed=false`, { token: full }));
    expectConforms(await send("GET", LIST, `${LIST}?completed=true`, { token: full }));
    expect(expectConforms(await send("GET", LIST, `${LIST}?completed=maybe`, { token: full }))).toMatchObject({ error: "invalid_request" });
    expect(expectConforms(await send("GET", LIST, LIST))).toMatchObject({ error: "invalid_token" });
    expect(expectConforms(await send("GET", LIST, LIST, { token: "not.a.token" }))).toMatchObject({ error: "invalid_token" });
    expect(expectConforms(await send("GET", LIST, LIST, { token: await token(WRITE) }))).toMatchObject({ error: "insufficient_scope" });
  });

  it("createTodo", async () => {
    const full = await token(BOTH);
    const created = await send("POST", LIST, LIST, { token: full, body: JSON.stringify({ todoText: "Buy milk" }) });
    expect(created.status).toBe(201);
    const todo = expectConforms(created) as { id: string };
    expect(created.headers.get("location")).toBe(`/api/todos/${todo.id}`);
    expectConforms(await send("POST", LIST, LIST, { token: full, body: "{not json" }));
    expectConforms(await send("POST", LIST, LIST, { token: full, body: "todoText=x", contentType: "text/plain" }));
    expectConforms(await send("POST", LIST, LIST, { body: JSON.stringify({ todoText: "x" }) }));
    expectConforms(await send("POST", LIST, LIST, { token: await token(READ), body: JSON.stringify({ todoText: "x" }) }));
    for (const body of [{}, { todoText: "" }, { todoText: "x".repeat(501) }, { todoText: 1 }, { todoText: "x", extra: 1 }, []]) {
      const exchange = await send("POST", LIST, LIST, { token: full, body: JSON.stringify(body) });
      expect(exchange.status).toBe(422);
      expect(expectConforms(exchange)).toMatchObject({ error: "validation_failed", details: expect.any(Array) });
    }
  });

  it("getTodo, updateTodo and deleteTodo", async () => {
    const full = await token(BOTH);
    const created = JSON.parse((await send("POST", LIST, LIST, { token: full, body: JSON.stringify({ todoText: "one" }) })).text) as { id: string };
    const path = `/api/todos/${created.id}`;
    const reader = await token(READ);
    const someoneElse = await token(BOTH, `contract-${crypto.randomUUID()}`);

    expectConforms(await send("GET", ONE, path, { token: full }));
    expectConforms(await send("GET", ONE, path));
    expectConforms(await send("GET", ONE, path, { token: await token(WRITE) }));
    for (const id of [MISSING, "not-a-uuid"]) expectConforms(await send("GET", ONE, `/api/todos/${id}`, { token: full }));
    expect((await send("GET", ONE, path, { token: someoneElse })).status).toBe(404);

    expect(expectConforms(await send("PATCH", ONE, path, { token: full, body: JSON.stringify({ completed: true }) }))).toMatchObject({ completed: true });
    expectConforms(await send("PATCH", ONE, path, { token: full, body: "{" }));
    expectConforms(await send("PATCH", ONE, path, { token: full, body: JSON.stringify({ completed: "yes" }) }));
    expectConforms(await send("PATCH", ONE, path, { token: full, body: JSON.stringify({}) }));
    expectConforms(await send("PATCH", ONE, path, { body: JSON.stringify({ completed: true }) }));
    expectConforms(await send("PATCH", ONE, path, { token: reader, body: JSON.stringify({ completed: true }) }));
    expectConforms(await send("PATCH", ONE, `/api/todos/${MISSING}`, { token: full, body: JSON.stringify({ completed: true }) }));

    expectConforms(await send("DELETE", ONE, path));
    expectConforms(await send("DELETE", ONE, path, { token: reader }));
    expectConforms(await send("DELETE", ONE, path, { token: full }));
    expectConforms(await send("DELETE", ONE, path, { token: full }));
  });

  it("answers with the Error schema outside the operations too (unknown path, wrong method)", async () => {
    for (const [method, path] of [["GET", "/"], ["GET", "/api/todos/"], ["PUT", LIST], ["POST", `/api/todos/${MISSING}`]]) {
      const exchange = await send(method!, "", path!);
      expect([404, 405]).toContain(exchange.status);
      expectError(exchange);
    }
  });

  it("produced every documented status of every operation", () => {
    const documented = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) =>
        Object.keys(operation.responses ?? {}).map((status) => `${operation.operationId} ${status}`),
      ),
    );
    expect([...seen].sort()).toEqual(documented.sort());
  });
});
