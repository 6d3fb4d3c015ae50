/**
 * The sample Todo API (openapi/todo-api.yaml): an example upstream for the MCP bridge, not part of it.
 *
 * request ─▶ route (404 / 405) ─▶ bearer token or Access assertion (401) ─▶ scope (403) ─▶ operation ─▶ the user's
 *           TodoList object
 */
import { authenticate, authenticateAccess, remoteKeySet, requireScope, scopesOf, withDefaultScopes, type Identity } from "./auth.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { createTodo, deleteTodo, getTodo, listTodos, READ, updateTodo, WRITE, type Operation } from "./todos.ts";

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

  const identity = await identify(request, env);
  requireScope(identity, operation.scope);

  const todos = env.TODOS.get(env.TODOS.idFromName(identity.subject));
  return operation.handle({ request, url, id, todos });
}

/** The header Cloudflare Access adds to every request it lets through to an application's origin. */
const ACCESS_ASSERTION = "cf-access-jwt-assertion";

/**
 * The caller: an Access assertion when the API is configured for Access (`ACCESS_TEAM_DOMAIN`, `ACCESS_AUD`) and the
 * request carries one, else the bearer token; then `DEFAULT_SCOPES` for credentials that name no API scope.
 */
async function identify(request: Request, env: Env): Promise<Identity> {
  const assertion = request.headers.get(ACCESS_ASSERTION);
  const team = env.ACCESS_TEAM_DOMAIN.replace(/\/+$/, "");
  const identity =
    assertion !== null && team !== "" && env.ACCESS_AUD !== ""
      ? await authenticateAccess(assertion, { teamDomain: team, aud: env.ACCESS_AUD, keys: remoteKeySet(`${team}/cdn-cgi/access/certs`) })
      : await authenticate(request.headers.get("authorization"), {
          issuer: env.ISSUER,
          audience: env.AUDIENCE,
          keys: remoteKeySet(env.JWKS_URL),
        });
  return withDefaultScopes(identity, scopesOf({ scope: env.DEFAULT_SCOPES }), [READ, WRITE]);
}

function match(pathname: string): { route: Route; id: string | undefined } {
  for (const route of ROUTES) {
    const found = route.path.exec(pathname);
    if (found !== null) return { route, id: found[1] };
  }
  throw new ApiError(404, "not_found", "No such resource.");
}
