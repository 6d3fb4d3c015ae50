/**
 * Request validation per openapi/todo-api.yaml: ids, the `completed` query and the JSON bodies `NewTodo` and
 * `TodoUpdate`. A malformed request is a 400 `invalid_request`; well-formed JSON that breaks the schema is a 422
 * `validation_failed` naming every invalid field.
 */
import { ApiError, notFound, type FieldError } from "./errors.ts";

export const TEXT_MAX_LENGTH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A todo id from the path, lower-cased (UUIDs compare case-insensitively). Not a UUID: no such todo, so a 404. */
export function parseTodoId(raw: string): string {
  if (!UUID.test(raw)) throw notFound("No todo with this id: todo ids are UUIDs.");
  return raw.toLowerCase();
}

/** The optional `completed` filter of listTodos: `true`, `false` or absent. */
export function parseCompletedFilter(query: URLSearchParams): boolean | undefined {
  const values = query.getAll("completed");
  if (values.length === 0) return undefined;
  if (values.length === 1 && (values[0] === "true" || values[0] === "false")) return values[0] === "true";
  throw new ApiError(400, "invalid_request", "The query parameter completed must be true or false.");
}

/** The request body as parsed JSON; it must be sent as `application/json` (any parameters, e.g. a charset, allowed). */
export async function readJson(request: Request): Promise<unknown> {
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new ApiError(400, "invalid_request", "The Content-Type of the request body must be application/json.");
  }
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, "invalid_request", "The request body is not valid JSON.");
  }
}

/** `NewTodo`: `{todoText}`, 1 to 500 characters, nothing else. */
export function validateNewTodo(body: unknown): { todoText: string } {
  const fields = objectFields(body, ["todoText"]);
  const text = fields.value["todoText"];
  if (text === undefined) fields.problems.push({ field: "todoText", message: "is required" });
  else if (typeof text !== "string") fields.problems.push({ field: "todoText", message: "must be a string" });
  else if (!isWellFormed(text)) fields.problems.push({ field: "todoText", message: "must be valid Unicode text" });
  else if (!lengthBetween(text, 1, TEXT_MAX_LENGTH)) {
    fields.problems.push({ field: "todoText", message: `must be between 1 and ${TEXT_MAX_LENGTH} characters` });
  }
  failOn(fields.problems);
  return { todoText: text as string };
}

/** `TodoUpdate`: `{completed}`, a boolean, nothing else. */
export function validateTodoUpdate(body: unknown): { completed: boolean } {
  const fields = objectFields(body, ["completed"]);
  const completed = fields.value["completed"];
  if (completed === undefined) fields.problems.push({ field: "completed", message: "is required" });
  else if (typeof completed !== "boolean") fields.problems.push({ field: "completed", message: "must be a boolean" });
  failOn(fields.problems);
  return { completed: completed as boolean };
}

/** The body as an object, with a problem for each field not in `known` (the schemas say `additionalProperties: false`). */
function objectFields(body: unknown, known: string[]): { value: Record<string, unknown>; problems: FieldError[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    failOn([{ field: "(body)", message: "must be a JSON object" }]);
  }
  const value = body as Record<string, unknown>;
  const problems = Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((field) => ({ field, message: "is not allowed" }));
  return { value: Object.fromEntries(known.map((key) => [key, Object.hasOwn(value, key) ? value[key] : undefined])), problems };
}

function failOn(problems: FieldError[]): void {
  if (problems.length > 0) {
    throw new ApiError(422, "validation_failed", "The request body is invalid.", { details: problems });
  }
}

/**
 * JSON Schema's `minLength`/`maxLength` count characters as Unicode code points (JSON Schema Validation §6.3), not
 * UTF-16 code units: an emoji is one character.
 */
function lengthBetween(text: string, min: number, max: number): boolean {
  let count = 0;
  for (const _ of text) if (++count > max) return false;
  return count >= min;
}

/** No unpaired UTF-16 surrogates (text that cannot be stored or sent as UTF-8). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
