/**
 * Validates a tool call's arguments with the tool's generated validator and, when they are wrong, says which
 * parameter is wrong and how, in words a model can act on. Shared by the runtime (tools/call) and the dry-run CLI.
 */
import type { ToolDefinition } from "./types.ts";

export type ArgumentsResult =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; problems: string[] };

interface Issue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/** Validators are built on first use and kept: building every tool's schema up front would slow a cold start. */
const validators = new WeakMap<ToolDefinition, ReturnType<ToolDefinition["input"]>>();

export function validateArguments(tool: ToolDefinition, args: unknown): ArgumentsResult {
  let validator = validators.get(tool);
  if (!validator) {
    validator = tool.input();
    validators.set(tool, validator);
  }
  const prototypeKeys = prototypeKeyIssues(args, []);
  if (prototypeKeys.length > 0) return { ok: false, problems: prototypeKeys.map(describeIssue) };
  const result = validator.safeParse(args ?? {});
  if (result.success) return { ok: true, args: result.data as Record<string, unknown> };
  return { ok: false, problems: (result.error.issues as readonly Issue[]).map(describeIssue) };
}

/**
 * An own `__proto__` key (JSON.parse makes one from `{"__proto__": …}`) is refused as unknown wherever it appears:
 * zod's open objects and records copy members by assignment, which drops it without a word, and nothing a spec
 * describes can be called that.
 */
function prototypeKeyIssues(value: unknown, path: readonly PropertyKey[]): Issue[] {
  if (typeof value !== "object" || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => prototypeKeyIssues(item, [...path, i]));
  const own: Issue[] = Object.hasOwn(value, "__proto__")
    ? [{ code: "unrecognized_keys", path, message: "", keys: ["__proto__"] }]
    : [];
  return [...own, ...Object.entries(value).flatMap(([key, member]) => prototypeKeyIssues(member, [...path, key]))];
}

/** `todoText: Too small: expected string to have >=1 characters`, `unknown parameter "colour"`. */
export function describeIssue(issue: Issue): string {
  if (issue.code === "unrecognized_keys" && issue.keys) {
    const where = issue.path.length > 0 ? ` in ${pathText(issue.path)}` : "";
    return issue.keys.map((key) => `unknown parameter "${key}"${where}`).join("; ");
  }
  const message = issue.message.replace(/^Invalid input: /, "");
  if (issue.path.length === 0) return `arguments: ${message}`;
  const missing = /received undefined$/.test(message);
  return missing ? `${pathText(issue.path)}: required parameter is missing` : `${pathText(issue.path)}: ${message}`;
}

/** `labels[0].name` */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? String(segment) : `.${String(segment)}`))
    .join("");
}
