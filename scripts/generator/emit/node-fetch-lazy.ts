/**
 * node-fetch-h2 for swagger2openapi and oas-resolver (openapi-typescript-load.ts's resolve hook sends their `require`
 * here), loaded when first called rather than when they load: they keep it to fetch external references, which
 * api-types.ts never asks for (`resolve: false`), and loading it (with http2-client and the HTTP/2 stack) cost
 * ~50 ms of CPU on every Swagger 2.0 render. Both packages only call it; called, it is node-fetch-h2 itself.
 */
import { createRequire } from "node:module";

type Fetch = (this: unknown, ...args: unknown[]) => unknown;
let fetch: Fetch | undefined;

/** The package swagger2openapi requires (one copy, shared with oas-resolver). */
function nodeFetch(): Fetch {
  const swagger2openapi = createRequire(import.meta.url).resolve("swagger2openapi");
  return createRequire(swagger2openapi)("node-fetch-h2") as Fetch;
}

function lazyFetch(this: unknown, ...args: unknown[]): unknown {
  fetch ??= nodeFetch();
  return fetch.apply(this, args);
}

// What `require` returns for this module (Node's require of an ES module).
export { lazyFetch as "module.exports" };
