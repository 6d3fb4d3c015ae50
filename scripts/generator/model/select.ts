/**
 * Which operations become tools: `tools.include` (any criterion matches; all operations when absent) minus
 * `tools.exclude` (any criterion matches).
 */
import type { ToolSelector } from "../../../src/config/schema.ts";

export interface OperationRef {
  operationId: string;
  method: string;
  path: string;
  tags: readonly string[];
}

export function isSelected(op: OperationRef, include: ToolSelector | undefined, exclude: ToolSelector | undefined): boolean {
  if (include && !matchesAny(op, include)) return false;
  return !(exclude && matchesAny(op, exclude));
}

export function matchesAny(op: OperationRef, selector: ToolSelector): boolean {
  return (
    (selector.operations?.includes(op.operationId) ?? false) ||
    (selector.tags?.some((tag) => op.tags.includes(tag)) ?? false) ||
    (selector.paths?.some((glob) => pathGlob(glob).test(op.path)) ?? false) ||
    (selector.methods?.includes(op.method.toLowerCase() as never) ?? false)
  );
}

const compiled = new Map<string, RegExp>();

/**
 * `*` matches within one path segment, `**` any number of segments (a trailing `/**` also matches the path without
 * it: `/api/**` selects `/api` too); `{param}` in a glob matches itself literally.
 */
export function pathGlob(glob: string): RegExp {
  let regex = compiled.get(glob);
  if (!regex) {
    const source = glob
      .split(/(\/\*\*$|\*\*|\*)/)
      .map((part) => {
        if (part === "/**") return "(?:/.*)?";
        if (part === "**") return ".*";
        if (part === "*") return "[^/]*";
        return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    regex = new RegExp(`^${source}$`);
    compiled.set(glob, regex);
  }
  return regex;
}
