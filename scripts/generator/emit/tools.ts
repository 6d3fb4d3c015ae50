/**
 * `generated/tools.ts`: one `ToolDefinition` per tool (see src/tools/types.ts), in spec order, preceded by the
 * shared, lazily built zod schemas of the named components the inputs use.
 */
import type { BodyBinding, HttpBinding, ParameterBinding, ToolDefinition } from "../../../src/tools/types.ts";
import type { Model, Notice, Schema, ToolModel } from "../model/types.ts";
import { tsHeader } from "./header.ts";
import { listingEnvelopeBytes, listingFits, sizeOfBytes, type ListingSize } from "../report.ts";
import { conciseInputSchema, conciseInputSchemaBytes, conciseSchemas, conciseSizes, conciseToolDescription } from "./concise.ts";
import { compactOutputSchema, indexDefs, listingSchema, listingSizeAtLeast, type DefsIndex } from "./listing.ts";
import { printedLiterals, printLiteral, printRootText, type Printed, type PrintedLiterals } from "./literal.ts";
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

export type TextMode = "full" | "concise";

export function listedTool(tool: ToolModel, model: Model, indexes: ListingIndexes, text: TextMode): ListedTool {
  const concise = text === "concise";
  const listed: { -readonly [K in keyof ListedTool]: ListedTool[K] } = {
    name: tool.name,
    description: concise ? conciseToolDescription(tool.description) : tool.description,
    inputSchema: concise ? conciseInputSchema(listingSchema(tool.input, indexes.input)) : listingSchema(tool.input, indexes.input),
    annotations: tool.annotations,
  };
  // The title repeats the description's first line; a concise listing leaves it to the description.
  if (tool.title && !concise) listed.title = tool.title;
  // A concise listing is for APIs too big to list in full: response schemas are left out unless asked for.
  const mode = concise && model.config.tools.outputSchemas === "auto" ? "none" : model.config.tools.outputSchemas;
  const output = tool.output ? outputSchemaFor(tool.output.schema, mode, indexes.output) : undefined;
  // MCP's outputSchema describes an object (structuredContent); the SDK adds `type: "object"` to a root that lacks
  // one (an `allOf` of objects), so the listing says it too and the reported size is what is served.
  if (output) listed.outputSchema = output["type"] === undefined ? { type: "object", ...output } : output;
  return listed;
}

/** Under `auto`, a full output schema up to this size is kept whole; a larger one is compacted. */
const AUTO_FULL_LIMIT = 2048;

function outputSchemaFor(schema: Schema, mode: Model["config"]["tools"]["outputSchemas"], index: DefsIndex): Schema | undefined {
  if (mode === "none") return undefined;
  if (mode === "compact") return compactOutputSchema(schema, index);
  if (mode === "auto" && listingSizeAtLeast(schema, index, AUTO_FULL_LIMIT) > AUTO_FULL_LIMIT) return compactOutputSchema(schema, index);
  const full = listingSchema(schema, index);
  if (mode === "full" || JSON.stringify(full).length <= AUTO_FULL_LIMIT) return full;
  return compactOutputSchema(schema, index);
}

/**
 * The listing for every tool. Under `descriptions: auto` the full text is used unless it would exceed the budget in
 * bridge.yaml, in which case the concise text is.
 */
export function listTools(model: Model, full: () => Listing = () => listToolsAs(model, "full")): Listing {
  return listedText(model, full) === "full" ? full() : conciseListing(model, full());
}

/** The text listTools lists: bridge.yaml's `descriptions`, or under `auto` whether the full listing fits the budget. */
export function listedText(model: Model, full: () => Listing): TextMode {
  const mode = model.config.tools.descriptions;
  if (mode !== "auto") return mode;
  return listingFits(full().listed, model.config.tools.listBudgetTokens) ? "full" : "concise";
}

export interface Listing {
  listed: ListedTool[];
  text: TextMode;
  /**
   * The parts of the input and of the output schemas that tools share (DefsIndex.shared of each): the concise text
   * shortens each shared input part once, and tools.ts prints each shared part once.
   */
  shared?: { input: ReadonlySet<object>; output: ReadonlySet<object> };
}

/** Every tool with the given text. */
export function listToolsAs(model: Model, text: TextMode): Listing {
  const indexes = listingIndexes(model);
  const listed = model.tools.map((tool) => listedTool(tool, model, indexes, text));
  return { listed, text, shared: { input: indexes.input.shared, output: indexes.output.shared } };
}

/**
 * The concise listing made from the full one (what `listToolsAs(model, "concise")` gives, without expanding every
 * schema again): concise text, and no output schemas where `outputSchemas: auto` leaves them to full listings.
 */
export function conciseListing(model: Model, full: Listing): Listing {
  const dropOutput = model.config.tools.outputSchemas === "auto";
  const made = conciseSchemas(full.shared?.input);
  const listed = model.tools.map((tool, i): ListedTool => {
    const { inputSchema, outputSchema, annotations } = full.listed[i]!;
    const concise: { -readonly [K in keyof ListedTool]: ListedTool[K] } = {
      name: tool.name,
      description: conciseToolDescription(tool.description),
      inputSchema: conciseInputSchema(inputSchema, made),
      annotations,
    };
    if (outputSchema && !dropOutput) concise.outputSchema = outputSchema;
    return concise;
  });
  return { listed, text: "concise" };
}

/**
 * listingSize(conciseListing(model, full).listed), counted without making the concise listing: `auto` measures it to
 * choose the mode, and over the budget discovery mode serves the full text, not this (Kubernetes' concise listing is
 * 3.3 MB of JSON, most of it parts its tools share, each counted once here).
 */
export function conciseListingSize(model: Model, full: Listing): ListingSize {
  const dropOutput = model.config.tools.outputSchemas === "auto";
  const sizes = conciseSizes(full.shared?.input);
  let bytes = listingEnvelopeBytes(model.tools.length);
  model.tools.forEach((tool, i) => {
    const { inputSchema, outputSchema, annotations } = full.listed[i]!;
    // The tool's JSON with a one-character stand-in for its input schema, which is counted on its own.
    const shell = { name: tool.name, description: conciseToolDescription(tool.description), inputSchema: 0, annotations, ...(outputSchema && !dropOutput && { outputSchema }) };
    bytes += Buffer.byteLength(JSON.stringify(shell)) - 1 + conciseInputSchemaBytes(inputSchema, sizes);
  });
  return sizeOfBytes(bytes);
}

export interface ToolsFile {
  /**
   * The file's text in parts (see GeneratedFile.parts), printed afresh each time they are iterated: the file is
   * written after every other phase, and its text (Stripe's: 21 million characters, 18 of them output schemas the
   * listing shares between tools) is made then, a tool at a time, instead of living through those phases.
   */
  parts: Iterable<Printed>;
  listed: ListedTool[];
  text: TextMode;
}

/** `listing`: the schemas and text the tools carry (by default the static tools/list's). */
export function emitTools(model: Model, typesImport: string, notices: Notice[], listing: Listing = listTools(model)): ToolsFile {
  const { listed, text, shared } = listing;
  // The validators are printed now, tools first and shared schemas after, as they add notices (the summary lists
  // them before any file is written); what is left to print later only formats data.
  const validators = model.tools.map((tool) => objectFor(tool.input, { notices, pointer: tool.pointer }, INDENT));
  const head = [
    tsHeader(`${model.api.specPath} and bridge.yaml`),
    `import { z } from "zod";`,
    `import type { ToolDefinition } from ${JSON.stringify(typesImport)};`,
    "",
    ...printSharedSchemas(model, notices),
  ];
  const tail = [
    `/** ${model.tools.length} tool${model.tools.length === 1 ? "" : "s"} from ${model.api.title}${model.api.version ? ` ${model.api.version}` : ""}, in spec order. */`,
    `export const tools: readonly ToolDefinition[] = [`,
    ...model.tools.map((tool) => `  ${toolIdentifier(tool.name)},`),
    `];`,
  ];
  // The head and the tail as one part each (the tail has a line per tool), each tool as one part (see printTool).
  function* print(): Generator<Printed> {
    yield `${head.join("\n")}\n`;
    const printed = printedLiterals(shared && [shared.input, shared.output]);
    for (let i = 0; i < model.tools.length; i++) yield printTool(model.tools[i]!, listed[i]!, validators[i]!, printed);
    yield `${tail.join("\n")}\n`;
  }
  return { parts: { [Symbol.iterator]: print }, listed, text };
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

/**
 * One declaration per tool: a single array literal of a thousand typed objects makes TypeScript build a union of
 * their types that it cannot represent (TS2590).
 */
function toolIdentifier(name: string): string {
  return `tool_${name}`;
}

const INDENT = "  ";

/**
 * A tool's declaration and the blank line after it, as one text: its lines concatenated, with the blocks its schemas
 * print as (see TextBlock) between them. One part per tool, not a generator of its lines and values: each part went
 * through two generators' resumptions and iterator results, a dozen per tool, in code V8 does not optimise here.
 */
function printTool(tool: ToolModel, listed: ListedTool, validator: string, printed: PrintedLiterals): Printed {
  let text = `const ${toolIdentifier(tool.name)}: ToolDefinition = {\n`;
  // The text before each block, and the block; none for most tools.
  let blocks: Printed[] | undefined;
  // Title and description as listed (concise when `descriptions` chose it): the server lists what this file holds,
  // so the size `generate` reports is what a client receives. TOOLS.md keeps the full text.
  const fields: [string, unknown][] = [
    ["name", tool.name],
    ["operationId", tool.operationId],
    ["title", listed.title],
    ["description", listed.description],
    ["scopes", tool.scopes],
    ["annotations", tool.annotations],
    ["inputSchema", listed.inputSchema],
    ["outputSchema", listed.outputSchema],
    ["resultKey", tool.output?.wrap],
    ["credentials", tool.credentials.length > 0 ? tool.credentials : undefined],
  ];
  for (let i = 0; i < fields.length; i++) {
    const key = fields[i]![0];
    const value = fields[i]![1];
    if (value === undefined) continue;
    const valueText = printRootText(value, INDENT, printed);
    if (typeof valueText === "string") text += `${INDENT}${key}: ${valueText},\n`;
    else {
      (blocks ??= []).push(`${text}${INDENT}${key}: `, valueText);
      text = ",\n";
    }
  }
  text += `${INDENT}input: () => ${validator},\n${INDENT}http: ${printLiteral(httpBinding(tool), INDENT)},\n};\n\n`;
  if (blocks === undefined) return text;
  blocks.push(text);
  return { parts: blocks, kept: false };
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
    if (p.arrayFormat) binding.arrayFormat = p.arrayFormat;
    return binding;
  });
  // A `#fragment` in a path key (ReadMe uses `/cookies#formExploded` to list one path several times) is not part of
  // the request target (RFC 3986 §3.5, RFC 9110 §7.1); left in, the request builder rejected every call as leaving
  // the base URL (found by the corpus dry run on oas-examples parameters-style.json). Names and docs keep the key.
  const path = tool.path.split("#")[0]!;
  const http: { -readonly [K in keyof HttpBinding]: HttpBinding[K] } = { method: tool.method, path, parameters };
  if (tool.server) http.server = tool.server.urlEnv ? { url: tool.server.url, urlEnv: tool.server.urlEnv } : { url: tool.server.url };
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
  if (body.emptyObject) binding.emptyObject = true;
  if (body.parts) binding.parts = body.parts;
  return binding;
}
