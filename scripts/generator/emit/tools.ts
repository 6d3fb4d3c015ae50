/**
 * `generated/tools.ts`: one `ToolDefinition` per tool (see src/tools/types.ts), in spec order, preceded by the
 * shared, lazily built zod schemas of the named components the inputs use.
 */
import type { BodyBinding, HttpBinding, ParameterBinding, ToolDefinition } from "../../../src/tools/types.ts";
import type { Model, Notice, ToolModel } from "../model/types.ts";
import { tsHeader } from "./header.ts";
import { indexDefs, listingSchema, type DefsIndex } from "./listing.ts";
import { printLiteral } from "./literal.ts";
import { objectFor, schemaIdentifier, zodFor } from "./zod.ts";

/** A tool as listed (no validator, no binding): also what the size report measures. */
export type ListedTool = Pick<ToolDefinition, "name" | "title" | "description" | "inputSchema" | "outputSchema" | "annotations">;

export interface ListingIndexes {
  input: DefsIndex;
  output: DefsIndex;
}

export function listingIndexes(model: Model): ListingIndexes {
  return { input: indexDefs(model.schemas.input), output: indexDefs(model.schemas.output) };
}

export function listedTool(tool: ToolModel, model: Model, indexes: ListingIndexes): ListedTool {
  const listed: { -readonly [K in keyof ListedTool]: ListedTool[K] } = {
    name: tool.name,
    description: tool.description,
    inputSchema: listingSchema(tool.input, indexes.input),
    annotations: tool.annotations,
  };
  if (tool.title) listed.title = tool.title;
  if (tool.output && model.config.tools.outputSchemas === "full") listed.outputSchema = listingSchema(tool.output.schema, indexes.output);
  return listed;
}

export interface ToolsFile {
  source: string;
  listed: ListedTool[];
}

export function emitTools(model: Model, typesImport: string, notices: Notice[]): ToolsFile {
  const indexes = listingIndexes(model);
  const listed = model.tools.map((tool) => listedTool(tool, model, indexes));
  const definitions = model.tools.map((tool, i) => printTool(tool, listed[i]!, notices));
  const source = [
    tsHeader(`${model.api.specPath} and bridge.yaml`),
    `import { z } from "zod";`,
    `import type { ToolDefinition } from ${JSON.stringify(typesImport)};`,
    "",
    ...printSharedSchemas(model, notices),
    `/** ${model.tools.length} tool${model.tools.length === 1 ? "" : "s"} from ${model.api.title}${model.api.version ? ` ${model.api.version}` : ""}, in spec order. */`,
    `export const tools: readonly ToolDefinition[] = [`,
    ...definitions,
    `];`,
    "",
  ].join("\n");
  return { source, listed };
}

function printSharedSchemas(model: Model, notices: Notice[]): string[] {
  const defs = [...model.schemas.input];
  if (defs.length === 0) return [];
  return [
    "// Named schemas shared by several inputs. Lazy, so recursion works and nothing is built before it is needed.",
    ...defs.map(([name, schema]) => {
      const code = zodFor(schema, { notices, pointer: `#/$defs/${name}` });
      return `const ${schemaIdentifier(name)}: z.ZodType = z.lazy(() => ${code});`;
    }),
    "",
  ];
}

function printTool(tool: ToolModel, listed: ListedTool, notices: Notice[]): string {
  const indent = "    ";
  const validator = objectFor(tool.input, { notices, pointer: tool.pointer }, indent);
  const fields: [string, unknown][] = [
    ["name", tool.name],
    ["operationId", tool.operationId],
    ["title", tool.title],
    ["description", tool.description],
    ["scopes", tool.scopes],
    ["annotations", tool.annotations],
    ["inputSchema", listed.inputSchema],
    ["outputSchema", listed.outputSchema],
    ["resultKey", tool.output?.wrap],
  ];
  const lines = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${indent}${key}: ${printLiteral(value, indent)},`);
  lines.push(`${indent}input: () => ${validator},`);
  lines.push(`${indent}http: ${printLiteral(httpBinding(tool), indent)},`);
  return [`  {`, ...lines, `  },`].join("\n");
}

export function httpBinding(tool: ToolModel): HttpBinding {
  const parameters: ParameterBinding[] = tool.parameters.map((p) => {
    const binding: { -readonly [K in keyof ParameterBinding]: ParameterBinding[K] } = {
      key: p.key,
      name: p.name,
      in: p.in,
      style: p.style,
      explode: p.explode,
    };
    if (p.allowReserved) binding.allowReserved = true;
    if (p.json) binding.json = true;
    return binding;
  });
  const http: { -readonly [K in keyof HttpBinding]: HttpBinding[K] } = { method: tool.method, path: tool.path, parameters };
  if (tool.body) http.body = bodyBinding(tool);
  if (tool.fixed.length > 0) http.fixed = tool.fixed.map((f) => ({ ...f }));
  if (tool.accepts.length > 0) http.accepts = tool.accepts;
  return http;
}

function bodyBinding(tool: ToolModel): BodyBinding {
  const body = tool.body!;
  const binding: { -readonly [K in keyof BodyBinding]: BodyBinding[K] } = {
    contentType: body.contentType,
    encoding: body.encoding,
    required: body.required,
    from: body.spread ? { spread: body.spread } : { key: body.bodyKey ?? "body" },
  };
  if (body.parts) binding.parts = body.parts;
  return binding;
}
