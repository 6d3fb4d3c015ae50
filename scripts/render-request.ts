/**
 * The dry-run renderer of `npm run call -- --dry-run`: a request plan (src/tools/request.ts) as HTTP/1.1-style text.
 * CLI-only, so it lives outside src/ (which holds only what the deployed Worker runs).
 */
import type { HttpRequestPlan, RequestBody } from "../src/tools/request.ts";

/** Headers whose values are never printed, should a configured fixed value carry one. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization"]);

/**
 * The plan as HTTP/1.1-style text (request line with the full URL, headers sorted by name, blank line, body).
 * Multipart bodies are serialised by a Response so the real boundary and parts show.
 */
export async function renderRequest(plan: HttpRequestPlan): Promise<string> {
  const headers: Record<string, string> = { ...plan.headers };
  const body = await renderBody(plan.body, headers);
  const head = Object.keys(headers)
    .sort()
    .map((name) => `${name}: ${SECRET_HEADERS.has(name) ? "<redacted>" : headers[name]}`);
  return [`${plan.method} ${plan.url} HTTP/1.1`, ...head, "", body].join("\n");
}

async function renderBody(body: RequestBody | undefined, headers: Record<string, string>): Promise<string> {
  if (body === undefined) return "";
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof FormData) {
    const response = new Response(body);
    headers["content-type"] = response.headers.get("content-type") ?? "multipart/form-data";
    return new TextDecoder().decode(await response.arrayBuffer());
  }
  return `<${body.byteLength} bytes ${headers["content-type"] ?? "application/octet-stream"}>`;
}
