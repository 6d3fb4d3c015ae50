/**
 * The sample Todo API (openapi/todo-api.yaml): an example upstream for the MCP bridge, not part of it.
 *
 * request ─▶ route (404 / 405) ─▶ bearer token (401) ─▶ scope (403) ─▶ operation ─▶ the user's TodoList object
 */
import { authenticate, remoteKeySet, requireScope } from "./auth.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { createTodo, deleteTodo, getTodo, listTodos, updateTodo, type Operation } from "./todos.ts";

export { TodoList } from "./store.ts";

interface Route {
  path: RegExp;
  methods: Record<string, Operation>;
}

const ROUTES: Route[] = [
  { path: /^\/api\/todos$/, methods: { GET: listTodos, POST: createTodo } },
  { path: /^\/api\/todos\/([^/]+)$/, methods: { GET: getTodo, PATCH: updateTodo, DELETE: deleteTodo } },
];

export default {
  async fetch(request, env): Promise<Response> {
    try {
      return await handle(request, env);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err);
      console.error("todo-api: unexpected error:", err);
      return errorResponse(new ApiError(500, "internal_error", "Something went wrong."));
    }
  },
} satisfies ExportedHandler<Env>;

async function handle(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const { route, id } = match(url.pathname);
  const operation = route.methods[request.method];
  if (operation === undefined) {
    const allow = Object.keys(route.methods).join(", ");
    throw new ApiError(405, "method_not_allowed", `${request.method} is not allowed here; use ${allow}.`, {
      headers: { allow },
    });
  }

  const identity = await authenticate(request.headers.get("authorization"), {
    issuer: env.ISSUER,
    audience: env.AUDIENCE,
    keys: remoteKeySet(env.JWKS_URL),
  });
  requireScope(identity, operation.scope);

  const todos = env.TODOS.get(env.TODOS.idFromName(identity.subject));
  return operation.handle({ request, url, id, todos });
}

function match(pathname: string): { route: Route; id: string | undefined } {
  for (const route of ROUTES) {
    const found = route.path.exec(pathname);
    if (found !== null) return { route, id: found[1] };
  }
  throw new ApiError(404, "not_found", "No such resource.");
}
