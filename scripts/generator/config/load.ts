/**
 * Reads bridge.yaml: YAML with source positions, validated by `bridgeConfigSchema`, every problem reported at once as
 * `FILE:LINE:COL: message` pointing at the offending key or value. The positions stay available after loading
 * (`locate`), so the generator can pin its own cross-reference errors (an operationId the spec lacks) the same way.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { Document, LineCounter, Pair, YAMLError, YAMLMap } from "yaml";
import { z } from "zod";
import { bridgeConfigSchema, type BridgeConfig } from "./schema.ts";
import { readSimpleYaml } from "./simple-yaml.ts";
import { NOT_SHOWN, parseValidConfig } from "./valid-config.ts";
import { ConfigError, type ConfigDiagnostic, type ConfigPath, type Locatable, type Position } from "./errors.ts";
import { closest } from "./suggest.ts";

export interface LoadedConfig extends Locatable {
  /** The file as the caller named it; the FILE of every diagnostic. */
  path: string;
  /** Absolute directory of the file: `api.spec` and other relative paths are resolved against it. */
  dir: string;
  /** The validated config, every default filled in. */
  config: BridgeConfig;
  /**
   * Position of the value at `at`; when the path does not exist (or its value is empty), of the deepest key on the
   * way that does.
   */
  locate(at: ConfigPath): Position;
  /** Position of the key at `at` (or the deepest existing one on the way): for "unknown key"-style problems. */
  locateKey(at: ConfigPath): Position;
  /** Whether the file itself has a value at `at` (not a default): "has no effect" rules speak only of what was written. */
  written(at: ConfigPath): boolean;
}

/**
 * bridge.yaml read as far as it goes: the YAML and schema problems, and each top-level section that is valid on its
 * own (defaults filled in). Later rules run on the sections they need, so one run reports everything that can be
 * known, not just the first layer of problems.
 */
export interface ConfigDraft extends Omit<LoadedConfig, "config"> {
  /**
   * Each top-level section as far as it is valid: a field (or record entry) with a problem is left out and the section
   * parsed again without it, so defaults fill in; a section that still fails (a required key is the broken one) is
   * absent. Whatever reads a section must also ask `usable` about the keys it reads.
   */
  sections: Partial<BridgeConfig>;
  problems: ConfigDiagnostic[];
  /** Whether `at` (a section, or a key in one) is present and has no problem in or under it. */
  usable(at: ConfigPath): boolean;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  return completeConfig(await readConfigDraft(path));
}

/** `loadConfig` without the file system: `fileLabel` names the file in diagnostics and anchors `dir`. */
export function parseConfigText(text: string, fileLabel: string): LoadedConfig {
  return completeConfig(draftConfigText(text, fileLabel));
}

/** The draft as a whole config; throws its problems when there are any. */
export function completeConfig(draft: ConfigDraft): LoadedConfig {
  if (draft.problems.length > 0) throw new ConfigError(draft.problems);
  const { sections, problems: _problems, usable: _usable, ...rest } = draft;
  return { ...rest, config: sections as BridgeConfig };
}

/** Reads bridge.yaml; throws only when nothing of it can be checked (unreadable, not YAML, not a mapping). */
export async function readConfigDraft(path: string): Promise<ConfigDraft> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file: path, line: 1, col: 1, message: `cannot read the file: ${reason}`, code: "BRIDGE_FILE_UNREADABLE" }]);
  }
  return draftConfigText(text, path);
}

/** The draft of bridge.yaml's text; `fileLabel` names the file in diagnostics and anchors `dir`. */
export function draftConfigText(text: string, fileLabel: string): ConfigDraft {
  // Most files are simple YAML, read without the yaml package (config/simple-yaml.ts); a valid one needs no zod
  // either. Any other file, or one with a problem, is read by yaml and checked by zod, which word the problems.
  const simple = readSimpleYaml(text);
  const simpleConfig = simple === undefined ? NOT_SHOWN : parseValidConfig(simple.data);
  if (simple !== undefined && simpleConfig !== NOT_SHOWN) return validDraft(simpleConfig, simple, fileLabel);

  const source = parseSource(text);
  const positions = positionsOf(source);
  const at = (position: Position, message: string, code: string): ConfigDiagnostic => ({ file: fileLabel, ...position, message, code });

  const yamlProblems = source.doc.errors.map((error) =>
    at(positionAt(source, error.pos[0]), yamlMessage(source, error), error.code === "DUPLICATE_KEY" ? "BRIDGE_KEY_DUPLICATE" : "BRIDGE_YAML_SYNTAX"),
  );
  // Past a syntax error the tree may not be what the user meant, and validating it would bury the real problem under
  // follow-on errors. A duplicate key leaves a sound tree (the last value wins), so validation goes on.
  if (source.doc.errors.some((error) => error.code !== "DUPLICATE_KEY")) {
    const first = yamlProblems.find((problem) => problem.code === "BRIDGE_YAML_SYNTAX") ?? { line: 1, col: 1 };
    const note: ConfigDiagnostic = { ...at({ line: first.line, col: first.col }, UNREADABLE_NOTE, "BRIDGE_NOT_CHECKED"), severity: "note" };
    throw new ConfigError([...yamlProblems, note]);
  }

  const top = resolveAlias(source, source.doc.contents);
  if (top === null || top === undefined) {
    throw new ConfigError([at({ line: 1, col: 1 }, `the file is empty; expected a mapping with ${requiredTopKeys()}`, "BRIDGE_FILE_EMPTY")]);
  }
  if (!yaml().isMap(top)) {
    const found = yaml().isSeq(top) ? "a list" : describeValue(yaml().isScalar(top) ? top.value : top);
    const message = `the top level must be a mapping with ${requiredTopKeys()}; found ${found}`;
    throw new ConfigError([...yamlProblems, at(positions.locate([]), message, "BRIDGE_VALUE_INVALID")]);
  }

  let data: unknown;
  try {
    data = source.doc.toJS();
  } catch (error) {
    // e.g. yaml's guard against alias bombs ("Excessive alias count").
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([...yamlProblems, at(positions.locate([]), `cannot read the YAML: ${reason}`, "BRIDGE_YAML_SYNTAX")]);
  }

  // A valid file is shown so without zod; any other is parsed by zod, which words its problems.
  const shown = parseValidConfig(data);
  const result = shown === NOT_SHOWN ? bridgeConfigSchema().safeParse(data, ONE_PARSE) : { success: true as const, data: shown };
  const issues = result.success ? [] : firstIssuePerValue(result.error.issues);
  const schemaProblems = issues.flatMap((issue) => issueDiagnostics(issue, data, positions, fileLabel));
  const broken = issues.flatMap(brokenPaths);
  const sections = result.success ? result.data : validSections(data, broken);
  return {
    path: fileLabel,
    dir: dirname(resolve(fileLabel)),
    sections,
    problems: [...yamlProblems, ...schemaProblems],
    usable: (at) => at[0] !== undefined && at[0] in sections && !broken.some((path) => overlaps(path, at)),
    locate: positions.locate,
    locateKey: positions.locateKey,
    written: positions.written,
  };
}

/**
 * zod's parse context for bridge.yaml, which is parsed once per run: `jitless` has each object schema checked by
 * zod's own loop instead of a function it first writes and compiles with `new Function` for that schema (a fast path
 * for schemas parsed many times). The two give the same values and issues in the same order (zod 4's $ZodObject and
 * $ZodObjectJIT). The parse alone, one core, the todo API's `generate --check` in process (11 runs): ~6.0 -> ~3.1 ms.
 */
const ONE_PARSE = { jitless: true } as const;

/** The draft of a valid file: what draftConfigText's last step gives when there are no problems. */
function validDraft(config: BridgeConfig, positions: Positions, fileLabel: string): ConfigDraft {
  return {
    path: fileLabel,
    dir: dirname(resolve(fileLabel)),
    sections: config,
    problems: [],
    usable: (at) => at[0] !== undefined && at[0] in config,
    locate: positions.locate,
    locateKey: positions.locateKey,
    written: positions.written,
  };
}

/** yaml's reading of `text`, as draftConfigText makes it (its value and positions), or undefined on YAML errors. */
export function readWithYaml(text: string): (Positions & { data: unknown }) | undefined {
  const source = parseSource(text);
  return source.doc.errors.length > 0 ? undefined : { data: source.doc.toJS(), ...positionsOf(source) };
}

/**
 * The yaml package, loaded on first use: a simple, valid bridge.yaml is read without it (config/simple-yaml.ts), and
 * evaluating its ~70 modules at start was ~3 ms of CPU (in-process marks, one core). Required, not imported, so that
 * the start-up bundle leaves it out; a file yaml must read loads it from node_modules.
 */
function yaml(): typeof import("yaml") {
  return (yamlPackage ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}

let yamlPackage: typeof import("yaml") | undefined;

const UNREADABLE_NOTE = "nothing else was checked: past a YAML syntax error the file cannot be read reliably (fix it first)";

/** Where an issue is: an unknown key is a problem of that key, not of the mapping holding it. */
function brokenPaths(issue: Issue): ConfigPath[] {
  const path = configPath(issue.path);
  return issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [path];
}

/** One path leads into (or is) the other. */
function overlaps(a: ConfigPath, b: ConfigPath): boolean {
  const length = Math.min(a.length, b.length);
  return a.slice(0, length).every((segment, i) => segment === b[i]);
}

/** Each top-level section without its broken keys (see ConfigDraft.sections). */
function validSections(data: unknown, broken: readonly ConfigPath[]): Partial<BridgeConfig> {
  const sections: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(bridgeConfigSchema().shape)) {
    const inside = broken.filter((path) => path[0] === key);
    if (inside.some((path) => path.length === 1)) continue;
    const parsed = schema.safeParse(withoutBroken(schema, childValue(data, key), inside.map((path) => path[1]!)), ONE_PARSE);
    if (parsed.success && parsed.data !== undefined) sections[key] = parsed.data;
  }
  return sections as Partial<BridgeConfig>;
}

/** A mapping's value without the keys that have problems (only for plain objects and records: a union stays whole). */
function withoutBroken(schema: Schema, value: unknown, brokenKeys: readonly (string | number)[]): unknown {
  const inner = unwrap(schema);
  if (brokenKeys.length === 0 || typeof value !== "object" || value === null) return value;
  if (!(inner instanceof z.ZodObject || inner instanceof z.ZodRecord)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !brokenKeys.includes(key)));
}

// ---------------------------------------------------------------------------------------------------------------
// Positions in the YAML document
// ---------------------------------------------------------------------------------------------------------------

interface Source {
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

function parseSource(text: string): Source {
  const lineCounter = new (yaml().LineCounter)();
  // prettyErrors off: messages stay one line, positions come from the LineCounter. `merge` honours `<<: *anchor`,
  // which people use to share blocks between configs; without it `<<` would be reported as an unknown key.
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  return { text, doc, lineCounter };
}

function positionAt(source: Source, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, col };
}

function startOf(source: Source, node: unknown): Position | undefined {
  return yaml().isNode(node) && node.range ? positionAt(source, node.range[0]) : undefined;
}

/** `key:` with nothing after it parses to a zero-width null scalar at the end of the line: point at the key instead. */
function isEmptyValue(node: unknown): boolean {
  return !yaml().isNode(node) || !node.range || node.range[0] === node.range[1];
}

function resolveAlias(source: Source, node: unknown): unknown {
  // An alias to a missing anchor resolves to undefined; yaml has already reported that error.
  return yaml().isAlias(node) ? node.resolve(source.doc) : node;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  return yaml().isScalar(key) && typeof key.value !== "symbol" && String(key.value) === String(segment);
}

/** The pair for `segment`; the last one when the key is repeated, because that value is the one that was loaded. */
function findPair(source: Source, map: YAMLMap, segment: string | number): Pair | undefined {
  const pairs = map.items as Pair[];
  const own = pairs.findLast((pair) => keyMatches(pair.key, segment));
  if (own) return own;
  // Keys brought in by `<<: *anchor` (or `<<: [*a, *b]`) live in the anchored mapping.
  for (const pair of pairs) {
    if (!yaml().isScalar(pair.key) || typeof pair.key.value !== "symbol") continue;
    const sources = yaml().isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const merged of sources) {
      const target = resolveAlias(source, merged);
      const found = yaml().isMap(target) ? findPair(source, target, segment) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

interface Walk {
  /** Whether every segment of the path was found. */
  complete: boolean;
  /** The node at the path, when complete. */
  node: unknown;
  /** The key of the deepest pair reached (or the sequence item, or the document): where to point otherwise. */
  anchor: Position;
}

function walk(source: Source, at: ConfigPath): Walk {
  let node: unknown = source.doc.contents;
  let anchor = startOf(source, node) ?? { line: 1, col: 1 };
  for (const segment of at) {
    const target = resolveAlias(source, node);
    if (yaml().isMap(target)) {
      const pair = findPair(source, target, segment);
      if (!pair) return { complete: false, node: undefined, anchor };
      anchor = startOf(source, pair.key) ?? anchor;
      node = pair.value;
    } else if (yaml().isSeq(target) && typeof segment === "number" && segment < target.items.length) {
      node = target.items[segment];
      anchor = startOf(source, node) ?? anchor;
    } else {
      return { complete: false, node: undefined, anchor };
    }
  }
  return { complete: true, node, anchor };
}

function positionsOf(source: Source): Positions {
  return {
    locate(at) {
      const found = walk(source, at);
      return found.complete && !isEmptyValue(found.node) ? (startOf(source, found.node) ?? found.anchor) : found.anchor;
    },
    locateKey(at) {
      return walk(source, at).anchor;
    },
    written(at) {
      return walk(source, at).complete;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages for YAML-level problems
// ---------------------------------------------------------------------------------------------------------------

function yamlMessage(source: Source, error: YAMLError): string {
  if (error.code === "DUPLICATE_KEY") {
    const key = keyStartingAt(source.doc.contents, error.pos[0]);
    if (key !== undefined) return `duplicate key ${JSON.stringify(key)} (keys in a mapping must be unique)`;
  }
  return `YAML syntax error: ${error.message}`;
}

/** The scalar key that starts at `offset` (yaml's duplicate-key error gives only an offset), searched depth-first. */
function keyStartingAt(node: unknown, offset: number): string | undefined {
  if (yaml().isMap(node)) {
    for (const pair of node.items) {
      if (yaml().isScalar(pair.key) && pair.key.range?.[0] === offset) return String(pair.key.value);
      const inValue = keyStartingAt(pair.value, offset);
      if (inValue !== undefined) return inValue;
    }
  } else if (yaml().isSeq(node)) {
    for (const item of node.items) {
      const found = keyStartingAt(item, offset);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function requiredTopKeys(): string {
  const keys = Object.entries(bridgeConfigSchema().shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
  return keys.length > 1 ? `${keys.slice(0, -1).join(", ")} and ${keys.at(-1)}` : keys.join("");
}

// ---------------------------------------------------------------------------------------------------------------
// The schema, walked along a path (for the valid keys of a mapping, and what a value should be)
// ---------------------------------------------------------------------------------------------------------------

type Schema = z.ZodType;

/** Through optional/default/nullable/readonly/catch/pipe/lazy to the schema that says what the value is. */
function unwrap(schema: Schema): Schema {
  const def: object = schema.def;
  if ("innerType" in def && def.innerType instanceof z.ZodType) return unwrap(def.innerType);
  if (schema instanceof z.ZodPipe && schema.in instanceof z.ZodType) return unwrap(schema.in);
  if (schema instanceof z.ZodLazy) {
    const target: unknown = schema.unwrap();
    if (target instanceof z.ZodType) return unwrap(target);
  }
  return schema;
}

/** The values a discriminator property accepts. */
function literalValues(schema: unknown): unknown[] {
  if (!(schema instanceof z.ZodType)) return [];
  const inner = unwrap(schema);
  if (inner instanceof z.ZodLiteral) return [...inner.values];
  if (inner instanceof z.ZodEnum) return inner.options;
  return [];
}

/**
 * The object schemas that may describe `value`: the union option its discriminator picks, or every option when the
 * discriminator does not pick one (so that key suggestions still work).
 */
function branches(schema: Schema, value: unknown): Schema[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const options = inner.options.filter((option): option is Schema => option instanceof z.ZodType);
    const discriminant = childValue(value, inner.def.discriminator);
    const picked = options.find(
      (option) =>
        option instanceof z.ZodObject && literalValues(option.shape[inner.def.discriminator]).includes(discriminant),
    );
    return (picked ? [picked] : options).flatMap((option) => branches(option, value));
  }
  if (inner instanceof z.ZodUnion) {
    return inner.options
      .filter((option): option is Schema => option instanceof z.ZodType)
      .flatMap((option) => branches(option, value));
  }
  return [inner];
}

function childSchema(schema: Schema, segment: string | number): Schema | undefined {
  if (schema instanceof z.ZodObject) return Object.hasOwn(schema.shape, segment) ? schema.shape[segment] : undefined;
  if (schema instanceof z.ZodRecord && schema.valueType instanceof z.ZodType) return schema.valueType;
  if (schema instanceof z.ZodArray && schema.element instanceof z.ZodType) return schema.element;
  return undefined;
}

function childValue(value: unknown, segment: string | number): unknown {
  return typeof value === "object" && value !== null && Object.hasOwn(value, segment)
    ? (value as Record<string | number, unknown>)[segment]
    : undefined;
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  return path.reduce<unknown>((value, segment) => childValue(value, segment), data);
}

/** The (unwrapped) schemas that may apply at `path` of `data`. */
function schemasAt(path: ConfigPath, data: unknown): Schema[] {
  let schemas: Schema[] = [bridgeConfigSchema()];
  let value = data;
  for (const segment of path) {
    schemas = schemas.flatMap((schema) => branches(schema, value)).flatMap((s) => childSchema(s, segment) ?? []);
    value = childValue(value, segment);
  }
  return schemas.flatMap((schema) => branches(schema, value));
}

/** The keys a mapping at `path` may have, in schema order. */
function validKeysAt(path: ConfigPath, data: unknown): string[] {
  const keys = schemasAt(path, data).flatMap((schema) =>
    schema instanceof z.ZodObject ? Object.keys(schema.shape) : [],
  );
  return [...new Set(keys)];
}

/** "http(s) URL" when the schema restricts the protocol so, to say what is wrong with e.g. an ftp:// URL. */
function urlKind(path: ConfigPath, data: unknown): string {
  const httpOnly = schemasAt(path, data).some((schema) => {
    const protocol: unknown = "protocol" in schema.def ? schema.def.protocol : undefined;
    return protocol instanceof RegExp && protocol.test("https") && !protocol.test("ftp");
  });
  return httpOnly ? "absolute http(s) URL" : "URL";
}

// ---------------------------------------------------------------------------------------------------------------
// zod issues → diagnostics
// ---------------------------------------------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;

/** zod paths may hold symbols in general; a YAML-born object has only string keys and array indexes. */
function configPath(path: readonly PropertyKey[]): ConfigPath {
  return path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
}

/** Codes that judge a single value: one complaint per value is enough ("" is both too short and off-pattern). */
const VALUE_CODES = new Set([
  "invalid_type",
  "too_small",
  "too_big",
  "invalid_format",
  "not_multiple_of",
  "invalid_value",
]);

function firstIssuePerValue(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (!VALUE_CODES.has(issue.code)) return true;
    const key = JSON.stringify(configPath(issue.path));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `identity.issuer`, `tools.include.methods[0]`, `tools.overrides["todos.list"]`. */
export function dottedPath(path: ConfigPath): string {
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join("");
}

/** How to name the mapping at `path` in a message about its keys. */
function inMapping(path: ConfigPath): string {
  return path.length === 0 ? "at the top level" : `in ${dottedPath(path)}`;
}

function isMissing(data: unknown, path: ConfigPath): boolean {
  const last = path.at(-1);
  const parent = valueAt(data, path.slice(0, -1));
  return last !== undefined && typeof parent === "object" && parent !== null && !Object.hasOwn(parent, last);
}

/** zod's built-in messages; anything else was written in the schema for the user and is shown as is. */
function isZodDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)\b/.test(message);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "bigint") return `the number ${value}`;
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** A value quoted in a message: strings in JSON quotes, numbers and booleans bare. */
function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return describeValue(value);
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

function missingKeyMessage(path: ConfigPath, extra = ""): string {
  const key = String(path.at(-1));
  const parent = path.slice(0, -1);
  return parent.length === 0
    ? `missing required top-level key "${key}"${extra}`
    : `${dottedPath(parent)}: missing required key "${key}"${extra}`;
}

function typeMessage(path: ConfigPath, expected: string, value: unknown): string {
  // YAML reads `acrValues: 12345` or `name: yes` as a number or boolean; quoting keeps it a string.
  const scalarForString = expected === "string" && (typeof value === "number" || typeof value === "boolean");
  const hint = scalarForString ? " (quote it to make it a string)" : "";
  return `${dottedPath(path)}: expected ${EXPECTED[expected] ?? expected}, got ${describeValue(value)}${hint}`;
}

function oneOfMessage(path: ConfigPath, value: unknown, allowed: readonly unknown[]): string {
  const names = allowed.map(String);
  const expected = names.length === 1 ? `expected ${names[0]}` : `expected one of ${names.join(", ")}`;
  const suggestion = typeof value === "string" ? closest(value, names) : undefined;
  const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  return `${dottedPath(path)}: ${showValue(value)} is not valid; ${expected}${hint}`;
}

function unknownKeyMessage(path: ConfigPath, key: string, data: unknown): string {
  const present = Object(valueAt(data, path));
  const valid = validKeysAt(path, data);
  // A key the mapping already has is not what the user meant by the unknown one.
  const suggestion = closest(key, valid.filter((candidate) => !Object.hasOwn(present, candidate)));
  const hint =
    suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : valid.length > 0 ? ` (valid keys: ${valid.join(", ")})` : "";
  return `unknown key ${JSON.stringify(key)} ${inMapping(path)}${hint}`;
}

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, small: boolean): string {
  const n = Number(limit);
  switch (issue.origin) {
    case "string":
      if (small && n === 1) return "must not be empty";
      return `must be at ${small ? "least" : "most"} ${n} character${n === 1 ? "" : "s"} long`;
    case "array":
    case "set":
      if (small && n === 1) return "must list at least one item";
      return `must list at ${small ? "least" : "most"} ${n} item${n === 1 ? "" : "s"}`;
    default:
      if (issue.inclusive === false) return `must be ${small ? "greater" : "less"} than ${n}`;
      return `must be at ${small ? "least" : "most"} ${n}`;
  }
}

function rangeMessage(path: ConfigPath, issue: Issue & { code: "too_small" | "too_big" }, value: unknown): string {
  if (!isZodDefaultMessage(issue.message)) return `${dottedPath(path)}: ${issue.message}`;
  const small = issue.code === "too_small";
  const rule = bound(issue, small ? issue.minimum : issue.maximum, small);
  // "(got 0)" after "must list at least one item" would say nothing new.
  const got =
    typeof value === "number"
      ? ` (got ${value})`
      : Array.isArray(value) && value.length > 0
        ? ` (got ${value.length})`
        : "";
  return `${dottedPath(path)}: ${rule}${got}`;
}

function formatProblem(
  issue: Issue & { code: "invalid_format" },
  value: unknown,
  path: ConfigPath,
  data: unknown,
): string {
  const shown = showValue(value);
  if (issue.format === "url") return `${shown} is not a valid ${urlKind(path, data)}`;
  if (!isZodDefaultMessage(issue.message)) return `${shown} is not valid: ${issue.message}`;
  if (issue.format === "regex" && "pattern" in issue) return `${shown} does not match the pattern ${issue.pattern}`;
  return `${shown} is not a valid ${issue.format}`;
}

/** Why a record key was refused, from the key schema's own issues. */
function keyProblem(issue: Issue & { code: "invalid_key" }): string {
  const inner = issue.issues[0];
  if (inner === undefined) return "is not valid";
  if (!isZodDefaultMessage(inner.message)) return `is not valid: ${inner.message}`;
  if (inner.code === "too_small") return bound(inner, inner.minimum, true);
  if (inner.code === "too_big") return bound(inner, inner.maximum, false);
  if (inner.code === "invalid_format" && inner.format === "regex" && "pattern" in inner) {
    return `does not match the pattern ${inner.pattern}`;
  }
  return `is not valid (${inner.message})`;
}

type Positions = Pick<LoadedConfig, "locate" | "locateKey" | "written">;

function issueDiagnostics(issue: Issue, data: unknown, positions: Positions, file: string): ConfigDiagnostic[] {
  const path = configPath(issue.path);
  const value = valueAt(data, path);
  const atValue = (message: string): ConfigDiagnostic => ({ file, ...positions.locate(path), message, code: "BRIDGE_VALUE_INVALID" });
  // A missing key has no position of its own: point at the key of the mapping that lacks it.
  const atParent = (message: string): ConfigDiagnostic => ({
    file,
    ...positions.locateKey(path.slice(0, -1)),
    message,
    code: "BRIDGE_KEY_MISSING",
  });

  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        file,
        ...positions.locateKey([...path, key]),
        message: unknownKeyMessage(path, key, data),
        code: "BRIDGE_KEY_UNKNOWN",
      }));
    case "invalid_key": {
      const key = String(path.at(-1));
      const message = `${dottedPath(path.slice(0, -1))}: key ${JSON.stringify(key)} ${keyProblem(issue)}`;
      return [{ file, ...positions.locateKey(path), message, code: "BRIDGE_VALUE_INVALID" }];
    }
    case "invalid_union":
      if (issue.discriminator !== undefined && "options" in issue && issue.options) {
        if (isMissing(data, path)) return [atParent(missingKeyMessage(path, ` (one of ${issue.options.join(", ")})`))];
        return [atValue(oneOfMessage(path, value, issue.options))];
      }
      return [atValue(`${dottedPath(path)}: ${showValue(value)} does not match any of the allowed forms`)];
    case "invalid_value":
      return [atValue(oneOfMessage(path, value, issue.values))];
    case "invalid_type":
      if (isMissing(data, path)) return [atParent(missingKeyMessage(path))];
      return [atValue(typeMessage(path, issue.expected, value))];
    case "too_small":
    case "too_big":
      return [atValue(rangeMessage(path, issue, value))];
    case "invalid_format":
      return [atValue(`${dottedPath(path)}: ${formatProblem(issue, value, path, data)}`)];
    case "not_multiple_of":
      return [atValue(`${dottedPath(path)}: must be a multiple of ${issue.divisor} (got ${showValue(value)})`)];
    default:
      return [atValue(`${path.length > 0 ? `${dottedPath(path)}: ` : ""}${issue.message}`)];
  }
}
