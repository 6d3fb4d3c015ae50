/**
 * `generated/TOOLS.md`: what a person reviewing the bridge needs: every tool with its description, HTTP binding,
 * parameters, scopes and hints, then a scope × tool matrix.
 */
import type { Model, Schema, ToolModel } from "../model/types.ts";
import { parameterNote, partNote, requestsSection } from "./docs-requests.ts";
import { mdHeader } from "./header.ts";

export function emitDocs(model: Model, mode: "static" | "discovery" = "static"): string {
  const lines: string[] = [mdHeader(`${model.api.specPath} and bridge.yaml`)];
  lines.push(`# Tools of the ${model.api.title} bridge`, "");
  if (mode === "discovery") lines.push(...discoverySection(model), "");
  lines.push(
    `${model.tools.length} tool${model.tools.length === 1 ? "" : "s"} generated from \`${model.api.specPath}\` ` +
      `(${specLabel(model)}${model.api.version ? `, API version ${model.api.version}` : ""}).` +
      (model.skipped.length > 0 ? ` ${model.skipped.length} operation(s) skipped: see the end of this page.` : ""),
    "",
  );
  lines.push(...toolIndex(model), "");
  lines.push(...scopeSection(model), "");
  lines.push(...requestsSection(model));
  const cells: CellTexts = new Map();
  for (let i = 0; i < model.tools.length; i++) {
    addToolSection(lines, model.tools[i]!, cells);
    lines.push("");
  }
  if (model.skipped.length > 0) {
    lines.push("## Skipped operations", "", "| Operation | Reason |", "|---|---|");
    for (const s of model.skipped) lines.push(`| \`${cell(s.operation)}\` | ${cell(s.reason)} |`);
    lines.push("");
  }
  return markdownText(lines);
}

/**
 * `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`, with the end trimmed in the array: trimming the
 * joined text and adding the last newline made a slice and a pair that became a third copy of the text when it was
 * read (GitHub's TOOLS.md: 2 million characters, two bytes each; emitDocs and reading its text, one core, in-process
 * CPU medians of 31 alternating runs: 32.7 → 29.1 ms). Trailing whitespace holds no run of newlines that the
 * replace would keep, so trimming first gives the same text.
 */
export function markdownText(lines: string[]): string {
  while (lines.length > 0 && lines[lines.length - 1]!.trimEnd() === "") lines.pop();
  if (lines.length === 0) return "\n";
  lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
  lines.push("");
  return lines.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** Discovery mode lists three tools; the operations below are what they search, describe and call. */
function discoverySection(model: Model): string[] {
  const { search, describe, call } = model.config.tools.discovery.names;
  return [
    "## Discovery mode",
    "",
    `tools/list shows three tools (bridge.yaml \`tools.mode\`): \`${search}\` {query, limit?} finds the operations below ` +
      `that the caller may call (with \`visibility: list\`, also those needing more access, marked with the missing scopes), ` +
      `\`${describe}\` {name} gives one operation's full description, input and output schemas and hints, and ` +
      `\`${call}\` {name, arguments} calls it exactly as a tool of that name would be called in static mode (same ` +
      `validation, scopes, step-up challenge and result). Operations hidden from a caller are neither found nor described.`,
  ];
}

function specLabel(model: Model): string {
  return model.api.specVersion === "2.0" ? "Swagger 2.0" : `OpenAPI ${model.api.specVersion}`;
}

function toolIndex(model: Model): string[] {
  return [
    "| Tool | HTTP | Scopes | Summary |",
    "|---|---|---|---|",
    ...model.tools.map((t) => `| [\`${t.name}\`](#${anchor(t.name)}) | \`${t.method} ${cell(t.path)}\` | ${scopeList(t.scopes)} | ${cell(t.title ?? "")} |`),
  ];
}

function scopeSection(model: Model): string[] {
  if (model.scopes.length === 0) return ["## Scopes", "", "The API declares no OAuth scopes: every signed-in caller may use every tool."];
  const lines = ["## Scopes", "", "| Scope | Description | Granted by claims |", "|---|---|---|"];
  for (const s of model.scopes) lines.push(`| \`${s.name}\` | ${cell(s.description)} | ${cell(claimRuleText(s.grantTo))} |`);
  lines.push("", "### Scope × tool", "", "A tool needs every scope marked in its row.", "");
  lines.push(`| Tool | ${model.scopes.map((s) => `\`${s.name}\``).join(" | ")} |`, `|---|${model.scopes.map(() => ":-:").join("|")}|`);
  for (const tool of model.tools) {
    lines.push(`| \`${tool.name}\` | ${model.scopes.map((s) => (tool.scopes.includes(s.name) ? "✓" : "")).join(" | ")} |`);
  }
  return lines;
}

function claimRuleText(rule: Model["scopes"][number]["grantTo"]): string {
  if (!rule) return "";
  const parts: string[] = [];
  if (rule.users?.length) parts.push(`users: ${rule.users.join(", ")}`);
  if (rule.emailDomains?.length) parts.push(`email domains: ${rule.emailDomains.join(", ")}`);
  if (rule.groups?.length) parts.push(`groups: ${rule.groups.join(", ")}`);
  return parts.join("; ");
}

/**
 * A tool's section, added to `lines`. Here and in addParameterTable the lines are pushed where they go rather than
 * returned and spread: spreading into push walks an iterator per line in code V8 has not optimised (nearly all of a
 * run, generator/jit.mjs). emitDocs, one core, in-process CPU medians of 31 alternating runs: GitHub 30.9 → 26.6 ms,
 * Kubernetes 22.9 → 21.9, Stripe 11.4 → 10.3.
 */
function addToolSection(lines: string[], tool: ToolModel, cells: CellTexts): void {
  lines.push(`## ${tool.name}`, "");
  if (tool.description) lines.push(tool.description, "");
  const facts = [
    `**HTTP:** \`${tool.method} ${tool.path}\`${tool.server ? ` on \`${tool.server.url}\`` : ""}`,
    `**Operation:** \`${tool.operationId}\``,
    `**Scopes:** ${scopeList(tool.scopes)}${tool.scopes.length === 0 ? " (anyone who can sign in may call it)" : ""}`,
    `**Hints:** ${hintText(tool)}`,
  ];
  if (tool.credentials.length > 0) facts.push(`**Upstream credentials:** ${tool.credentials.map(credentialText).join(", ")}`);
  if (tool.visibility === "list") facts.push("**Visibility:** listed to every caller; a call without the scopes asks the client to step up");
  lines.push(facts.join("  \n"), "");
  addParameterTable(lines, tool, cells);
  if (tool.fixed.length > 0) {
    lines.push("", `Always sent (hidden from the model): ${tool.fixed.map((f) => `\`${f.name}\` (${f.in}) = \`${JSON.stringify(f.value)}\``).join(", ")}`);
  }
  if (tool.output) {
    const shape = tool.output.wrap ? `\`{ result: ${typeLabel(tool.output.schema["properties"] ? ((tool.output.schema["properties"] as Record<string, Schema>)["result"] ?? {}) : {})} }\`` : `\`${typeLabel(tool.output.schema)}\``;
    lines.push("", `**Returns:** ${tool.output.status} \`${tool.output.contentType}\` as structured content ${shape}`);
  } else if (tool.accepts.length > 0) {
    lines.push("", `**Returns:** ${tool.accepts.map((a) => `\`${a}\``).join(", ")} as text`);
  }
}

function hintText(tool: ToolModel): string {
  const a = tool.annotations;
  const hints = [
    a.readOnlyHint ? "read-only" : "writes",
    a.destructiveHint ? "destructive" : undefined,
    a.idempotentHint ? "idempotent" : undefined,
    a.openWorldHint ? "open world" : undefined,
    tool.deprecated ? "deprecated" : undefined,
  ];
  return hints.filter(Boolean).join(", ");
}

function addParameterTable(lines: string[], tool: ToolModel, cells: CellTexts): void {
  const properties = (tool.input["properties"] ?? {}) as Record<string, Schema>;
  const required = new Set((tool.input["required"] as string[] | undefined) ?? []);
  const keys = Object.keys(properties);
  if (keys.length === 0) {
    lines.push("No parameters.");
    return;
  }
  const where = new Map<string, string>();
  const noted = (place: string, note: string): string => (note ? `${place} (${note})` : place);
  // Index loops: a for...of makes an iterator result per step in code V8 has not optimised (Kubernetes: 6,049 rows).
  for (let i = 0; i < tool.parameters.length; i++) {
    const p = tool.parameters[i]!;
    where.set(p.key, noted(p.name === p.key ? p.in : `${p.in} \`${p.name}\``, parameterNote(p)));
  }
  const spread = tool.body?.spread ?? [];
  for (let i = 0; i < spread.length; i++) {
    const s = spread[i]!;
    where.set(s.key, noted(s.name === s.key ? "body" : `body \`${s.name}\``, partNote(tool, s.name)));
  }
  if (tool.body?.bodyKey) where.set(tool.body.bodyKey, `body (${tool.body.contentType})`);
  lines.push("| Parameter | In | Type | Required | Description |", "|---|---|---|:-:|---|");
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const schema = properties[key]!;
    lines.push(`| \`${key}\` | ${where.get(key) ?? ""} | ${cellOf(typeLabel(schema), cells)} | ${required.has(key) ? "yes" : ""} | ${descriptionCell(schema, cells)} |`);
  }
}

/**
 * describeParameter's cell. Most parameters have neither a default nor `deprecated`, and their cell is looked up by the
 * spec's own description string: the same string for every operation that lists the parameter, its hash kept in it
 * by V8, where describeParameter's join made a new string to hash and compare for every row (Kubernetes: 6,049
 * rows).
 */
export function descriptionCell(schema: Schema, cells: CellTexts): string {
  const description = schema["description"];
  if (schema["default"] !== undefined || schema["deprecated"] === true) return cellOf(describeParameter(schema), cells);
  return cellOf(typeof description === "string" ? description : "", cells);
}

export function describeParameter(schema: Schema): string {
  const parts: string[] = [];
  if (typeof schema["description"] === "string") parts.push(schema["description"]);
  if (schema["default"] !== undefined) parts.push(`Default (applied by the API, not sent): \`${JSON.stringify(schema["default"])}\`.`);
  if (schema["deprecated"] === true) parts.push("Deprecated.");
  return parts.join(" ");
}

/** A short type for a table cell: `string (uuid)`, `Todo[]`, `"open" | "closed"`. */
export function typeLabel(schema: Schema): string {
  const ref = schema["$ref"];
  if (typeof ref === "string") return ref.slice(ref.lastIndexOf("/") + 1);
  if (Array.isArray(schema["enum"])) {
    const values = schema["enum"].slice(0, 6).map((v) => JSON.stringify(v));
    return values.join(" \\| ") + (schema["enum"].length > 6 ? " \\| …" : "");
  }
  // oneOf, then anyOf, each asked by name: a for...of over the two names made an array and an iterator per call, in
  // code V8 has not optimised (typeLabel labels each of Kubernetes' 6,049 parameter rows).
  const oneOf = schema["oneOf"];
  if (Array.isArray(oneOf)) return (oneOf as Schema[]).map(typeLabel).join(" or ");
  const anyOf = schema["anyOf"];
  if (Array.isArray(anyOf)) return (anyOf as Schema[]).map(typeLabel).join(" or ");
  if (Array.isArray(schema["allOf"])) return (schema["allOf"] as Schema[]).map(typeLabel).join(" & ");
  const type = Array.isArray(schema["type"]) ? (schema["type"] as string[]).join(" or ") : (schema["type"] as string | undefined);
  if (type === "array") return `${typeLabel((schema["items"] as Schema | undefined) ?? {})}[]`;
  const base = type ?? (schema["properties"] ? "object" : "any");
  const format = schema["contentEncoding"] === "base64" ? "base64" : (schema["format"] as string | undefined);
  return format ? `${base} (${format})` : base;
}

/** Where the secret goes and which Worker secret holds it; never a value. */
function credentialText(credential: ToolModel["credentials"][number]): string {
  return credential.type === "apiKey"
    ? `API key \`${credential.scheme}\` (${credential.in} \`${credential.name}\`) from the Worker secret \`${credential.valueEnv}\``
    : `HTTP basic \`${credential.scheme}\` from the Worker secrets \`${credential.usernameEnv}\` and \`${credential.passwordEnv}\``;
}

function scopeList(scopes: readonly string[]): string {
  return scopes.length === 0 ? "none" : scopes.map((s) => `\`${s}\``).join(" ");
}

/**
 * Parameter table cells by their text, made once per TOOLS.md: the same parameters recur across tools (Kubernetes'
 * 6,049 parameters hold ~315 distinct descriptions), and cell() runs three regular expressions over each.
 */
export type CellTexts = Map<string, string>;

function cellOf(text: string, cells: CellTexts): string {
  let made = cells.get(text);
  if (made === undefined) cells.set(text, (made = cell(text)));
  return made;
}

/**
 * Markdown table cells: one line, pipes escaped. A text holding neither a pipe nor a line feed (most titles and paths,
 * made a cell for every tool) is only trimmed: each of the three replaces would search it whole to change nothing.
 */
export function cell(text: string): string {
  if (!text.includes("|") && !text.includes("\n")) return text.trim();
  return text.replace(/\|/g, "\\|").replace(/\r?\n\r?\n/g, "<br><br>").replace(/\r?\n/g, " ").trim();
}

/** GitHub's heading anchors for snake_case names are the names themselves. */
function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, "");
}
