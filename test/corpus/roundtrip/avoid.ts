/**
 * Characters the spec gives no way to send in a given place, which the sampler therefore leaves out of that
 * argument's strings (the check would otherwise blame the builder for the spec's ambiguity):
 *
 * - header values are not percent-encoded (OpenAPI 3.1.2 Appendix D), so a comma inside a list item or a `=` inside
 *   an exploded member cannot be told from the delimiters, and non-ASCII text has no defined header encoding;
 * - spaceDelimited/pipeDelimited/tabDelimited items cannot hold their delimiter unambiguously (the delimiter is the
 *   encoded character itself, OpenAPI 3.1.1 Style Examples);
 * - multipart parts are raw text, so a query-style property there (3.1 Encoding Object `style`) has its delimiters
 *   in the clear.
 */
import type { ToolDefinition } from "../../../src/tools/types.ts";
import { isObject, type RawOperation, type RawSpec } from "../raw-spec.ts";
import { specBody } from "./spec-body.ts";

const HEADER = ",=é€";
const DELIMITER: Record<string, string> = { spaceDelimited: " ", pipeDelimited: "|", tabDelimited: "\t" };
const MULTIPART_STYLED = ", |\t=";

/** Characters to leave out of each input key's strings. */
export function avoidFor(spec: RawSpec, op: RawOperation, tool: ToolDefinition): (key: string) => string {
  const byKey = new Map<string, string>();
  const add = (key: string, chars: string): void => {
    byKey.set(key, (byKey.get(key) ?? "") + chars);
  };
  for (const binding of tool.http.parameters) {
    const parameter = op.parameters.find((p) => p.in === binding.in && p.name.toLowerCase() === binding.name.toLowerCase());
    if (!parameter) continue;
    if (parameter.in === "header") add(binding.key, HEADER);
    add(binding.key, DELIMITER[parameter.style] ?? "");
  }
  const body = tool.http.body;
  const media = specBody(spec, op)?.media ?? [];
  for (const { key, media: object } of media) {
    if (!isObject(object["encoding"])) continue;
    const multipart = key.toLowerCase().startsWith("multipart/");
    for (const [name, encoding] of Object.entries(object["encoding"])) {
      if (!isObject(encoding)) continue;
      const styled = encoding["style"] !== undefined || encoding["explode"] !== undefined || encoding["allowReserved"] !== undefined;
      const chars = (DELIMITER[String(encoding["style"])] ?? "") + (multipart && styled ? MULTIPART_STYLED : "");
      if (chars === "" || !body) continue;
      const input = "key" in body.from ? body.from.key : body.from.spread.find((s) => s.name === name)?.key;
      if (input !== undefined) add(input, chars);
    }
  }
  return (key) => byKey.get(key) ?? "";
}
