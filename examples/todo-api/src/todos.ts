/**
 * The five operations of openapi/todo-api.yaml, each with the scope its `security` requirement names. They run after
 * authentication and the scope check, against the caller's own TodoList object.
 */
import { json, notFound } from "./errors.ts";
import type { TodoList } from "./store.ts";
import { parseCompletedFilter, parseTodoId, readJson, validateNewTodo, validateTodoUpdate } from "./validation.ts";

export const READ = "todo_api:read";
export const WRITE = "todo_api:write";

export interface OperationContext {
  request: Request;
  url: URL;
  /** The path's `{id}` segment, as sent (still percent-encoded). */
  id: string | undefined;
  todos: DurableObjectStub<TodoList>;
}

export interface Operation {
  operationId: string;
  scope: string;
  handle(context: OperationContext): Promise<Response>;
}

export const listTodos: Operation = {
  operationId: "listTodos",
  scope: READ,
  async handle({ url, todos }) {
    const completed = parseCompletedFilter(url.searchParams);
    return json({ todos: await todos.list(completed) });
  },
};

export const createTodo: Operation = {
  operationId: "createTodo",
  scope: WRITE,
  async handle({ request, todos }) {
    const { todoText } = validateNewTodo(await readJson(request));
    const todo = await todos.create(todoText);
    return json(todo, 201, { location: `/api/todos/${todo.id}` });
  },
};

export const getTodo: Operation = {
  operationId: "getTodo",
  scope: READ,
  async handle({ id, todos }) {
    const todoId = parseTodoId(id ?? "");
    return json((await todos.get(todoId)) ?? missing(todoId));
  },
};

export const updateTodo: Operation = {
  operationId: "updateTodo",
  scope: WRITE,
  async handle({ request, id, todos }) {
    const todoId = parseTodoId(id ?? "");
    const { completed } = validateTodoUpdate(await readJson(request));
    return json((await todos.setCompleted(todoId, completed)) ?? missing(todoId));
  },
};

export const deleteTodo: Operation = {
  operationId: "deleteTodo",
  scope: WRITE,
  async handle({ id, todos }) {
    const todoId = parseTodoId(id ?? "");
    if (!(await todos.remove(todoId))) missing(todoId);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
};

function missing(id: string): never {
  throw notFound(`No todo with id ${id}.`);
}
