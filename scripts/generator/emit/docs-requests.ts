/**
 * TOOLS.md's account of what goes on the wire: the hosts the bridge sends requests (and upstream credentials) to,
 * and how nested and array values are written where OpenAPI leaves it open (DESIGN.md decision 8).
 */
import type { ArrayFormat, BodyPartBinding } from "../../../src/tools/types.ts";
import type { Model, ParameterModel, ToolModel } from "../model/types.ts";

const ARRAY_EXAMPLES: Record<ArrayFormat, string> = {
  brackets: "`a[]=x&a[]=y`",
  indices: "`a[0]=x&a[1]=y`",
  repeat: "`a=x&a=y`",
};

export function requestsSection(model: Model): string[] {
  return ["## Requests", "", ...hosts(model), ...values(model)];
}

function hosts(model: Model): string[] {
  const api = model.config.api;
  const base = api.baseUrl ?? model.api.serverUrl ?? "(set at deploy time)";
  const lines = [
    `Requests go to the API's base URL \`${base}\`${api.baseUrlEnv ? ` (or \`$${api.baseUrlEnv}\` at run time)` : ""}` +
      `${api.binding ? `, through the service binding \`${api.binding}\`` : ""}.`,
    "",
  ];
  const servers = new Map<string, { env?: string; tools: string[] }>();
  for (const tool of model.tools) {
    if (!tool.server) continue;
    const entry = servers.get(tool.server.url) ?? { ...(tool.server.urlEnv && { env: tool.server.urlEnv }), tools: [] };
    entry.tools.push(tool.name);
    servers.set(tool.server.url, entry);
  }
  if (servers.size === 0) return lines;
  lines.push(
    "These tools are sent to servers of their own (the spec's path- or operation-level `servers`), with the same upstream credentials:",
    "",
    "| Server | Run-time override | Tools |",
    "|---|---|---|",
  );
  for (const [url, { env, tools }] of servers) lines.push(`| \`${url}\` | ${env ? `\`$${env}\`` : ""} | ${tools.map((t) => `\`${t}\``).join(" ")} |`);
  return [...lines, ""];
}

function values(model: Model): string[] {
  const bracketed = model.tools.some((tool) => tool.parameters.some((p) => p.arrayFormat) || tool.body?.parts?.some((p) => p.kind === "style"));
  const forms = model.tools.some((tool) => tool.body?.encoding === "form" || tool.body?.encoding === "multipart");
  if (!bracketed && !forms) return [];
  const lines = ["### How nested and array values are sent", ""];
  if (bracketed) {
    lines.push(
      "`deepObject` parameters and styled form fields (the Encoding Object's `style`) write nested objects with brackets, " +
        "`filter[owner][id]=7`, the convention most servers parse, since OpenAPI defines only one level. Arrays inside them " +
        `follow bridge.yaml's \`tools.arrayFormat\` (default here: ${ARRAY_EXAMPLES[model.config.tools.arrayFormat]}; ` +
        "overridable per tool and per parameter); arrays of objects are always indexed, `items[0][price]=5`.",
    );
  }
  if (forms) {
    if (bracketed) lines.push("");
    lines.push(
      "Form fields without an Encoding Object: scalars as text, arrays as one field per item (`tag=a&tag=b`), objects as " +
        "JSON text. Multipart: files (base64 arguments) as file parts, one per array item; objects as `application/json` parts.",
    );
  }
  return [...lines, ""];
}

/** How one parameter is written, for the parameter table ("" when it is the location's default). */
export function parameterNote(p: ParameterModel): string {
  if (p.json) return "JSON";
  if (p.arrayFormat) return `${p.style}, arrays ${ARRAY_EXAMPLES[p.arrayFormat]}`;
  const defaultStyle = p.in === "query" || p.in === "cookie" ? "form" : "simple";
  if (p.style === defaultStyle && p.explode === (defaultStyle === "form")) return "";
  return `${p.style}${p.explode ? ", exploded" : ""}`;
}

/** How one body field is written ("" for the defaults). */
export function partNote(tool: ToolModel, name: string): string {
  const part: BodyPartBinding | undefined = tool.body?.parts?.find((p) => p.name === name);
  if (!part) return "";
  if (part.kind === "file") return `file${part.contentType ? ` ${part.contentType}` : ""}`;
  if (part.kind === "json") return "JSON";
  const arrays = part.arrayFormat && (part.style === "deepObject" || part.explode) ? `, arrays ${ARRAY_EXAMPLES[part.arrayFormat]}` : "";
  return `${part.style ?? "form"}${part.explode ? ", exploded" : ""}${arrays}`;
}
