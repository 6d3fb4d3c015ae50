/**
 * MCP tool annotations from HTTP method semantics (RFC 9110 §9.2.1: GET, HEAD, OPTIONS and TRACE are safe; §9.2.2:
 * PUT and DELETE are idempotent), overridable per tool in bridge.yaml. They are hints to clients, never a security
 * boundary.
 */
import type { HttpMethod, ToolAnnotations } from "../../../src/tools/types.ts";

/** The title is not repeated here: it is the tool's own `title` field (MCP 2025-06-18 and later). */
export function annotationsFor(method: HttpMethod, override?: ToolAnnotations): ToolAnnotations {
  const derived: { -readonly [K in keyof ToolAnnotations]: ToolAnnotations[K] } = {};
  // TRACE is safe too (RFC 9110 §9.2.1); it used to be hinted as a write.
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "TRACE") derived.readOnlyHint = true;
  else derived.readOnlyHint = false;
  if (method === "DELETE") derived.destructiveHint = true;
  if (method === "PUT" || method === "DELETE") derived.idempotentHint = true;
  return { ...derived, ...override };
}
