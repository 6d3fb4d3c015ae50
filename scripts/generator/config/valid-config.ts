/**
 * bridge.yaml's values checked without zod when they are valid, the common case: `parseValidConfig` gives what
 * `bridgeConfigSchema.safeParse` gives on success (defaults filled in, keys in the schema's order), or NOT_SHOWN when
 * it cannot tell, and then zod decides and words every problem, as before. Building the zod schema is ~10 ms of CPU
 * at every start (~100 schemas made in unoptimised code, config/schema.ts) and its parse ~3 ms more, for a file of
 * ~30 lines; with this check the schema is made only for a config with a problem, or for bridge.schema.json when its
 * cache misses. Each rule below repeats the schema's, line for line (config/schema.ts), with its patterns, choices,
 * bounds and defaults taken from the same constants there (PATTERNS, CHOICES, LIMITS, DEFAULTS); anything this file does not
 * follow exactly (an unknown key, a value of another type, whitespace around a URL) answers NOT_SHOWN, never a
 * different value. test/unit/config-valid.test.ts holds it to zod on every config the tests write and thousands of
 * random ones, and its objects' keys to the schema's.
 */
import { CHOICES, DEFAULTS, LIMITS, PATTERNS, type BridgeConfig } from "./schema.ts";

/** The answer when the value is not shown valid here (it may still be: zod is asked). */
export const NOT_SHOWN: unique symbol = Symbol("not shown valid");

/** A value's parsed form, or NOT_SHOWN. */
type Parser = (value: unknown) => unknown;

/** How a key of a strict object is parsed when absent: zod's required, `.optional()`, `.default()` and `.prefault()`. */
type Field =
  | { readonly kind: "required"; readonly parse: Parser }
  | { readonly kind: "optional"; readonly parse: Parser }
  | { readonly kind: "default"; readonly parse: Parser; readonly made: () => unknown }
  | { readonly kind: "prefault"; readonly parse: Parser; readonly made: () => unknown };

/** A strict object's keys in the schema's order, for the test that holds them to it. */
export interface ObjectParser {
  (value: unknown): unknown;
  readonly fields: Readonly<Record<string, Field>>;
}

/** bridge.yaml's data (yaml's toJS) as `bridgeConfigSchema` parses it, or NOT_SHOWN. */
export function parseValidConfig(data: unknown): BridgeConfig | typeof NOT_SHOWN {
  return bridgeConfig(data) as BridgeConfig | typeof NOT_SHOWN;
}

// ---------------------------------------------------------------------------------------------------------------
// zod's parsers, as far as the schema uses them (zod 4: $ZodObject without its JIT, $ZodRecord, $ZodArray, ...)
// ---------------------------------------------------------------------------------------------------------------

function required(parse: Parser): Field {
  return { kind: "required", parse };
}

function optional(parse: Parser): Field {
  return { kind: "optional", parse };
}

/** `.default(value)`: an absent value is the default, not parsed (zod gives a fresh copy: made() does). */
function withDefault(parse: Parser, made: () => unknown): Field {
  return { kind: "default", parse, made };
}

/** `.prefault(value)`: an absent value is replaced by `value`, which is then parsed. */
function prefault(parse: Parser, made: () => unknown): Field {
  return { kind: "prefault", parse, made };
}

/** A YAML mapping as toJS gives it; anything else (a class instance, a Map) is left to zod. */
function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** zod's strictObject: every key of the value known, each field in the schema's order; `refine` on the result. */
function strictObject(fields: Record<string, Field>, refine?: (parsed: Record<string, unknown>) => boolean): ObjectParser {
  const keys = Object.keys(fields);
  const parse = (value: unknown): unknown => {
    if (!isPlainMapping(value)) return NOT_SHOWN;
    // zod reports each key `for...in` finds outside the shape (unrecognized_keys).
    for (const key in value) if (!Object.hasOwn(fields, key)) return NOT_SHOWN;
    const parsed: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const field = fields[key]!;
      const given = value[key];
      if (given === undefined) {
        if (field.kind === "required") return NOT_SHOWN;
        // An optional key is kept as undefined when written so (zod's handlePropertyResult), left out when absent.
        if (field.kind === "optional") {
          if (key in value) parsed[key] = undefined;
          continue;
        }
        const made = field.kind === "default" ? field.made() : field.parse(field.made());
        if (made === NOT_SHOWN) return NOT_SHOWN;
        parsed[key] = made;
        continue;
      }
      const one = field.parse(given);
      if (one === NOT_SHOWN) return NOT_SHOWN;
      parsed[key] = one;
    }
    return refine === undefined || refine(parsed) ? parsed : NOT_SHOWN;
  };
  return Object.assign(parse, { fields });
}

/** zod's record with a string key schema: each own key checked, then its value; `__proto__` (which zod drops) left to zod. */
function record(key: Parser, item: Parser): Parser {
  return (value) => {
    if (!isPlainMapping(value) || Object.getOwnPropertySymbols(value).length > 0) return NOT_SHOWN;
    const parsed: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i]!;
      if (name === "__proto__" || key(name) === NOT_SHOWN) return NOT_SHOWN;
      const one = item(value[name]);
      if (one === NOT_SHOWN) return NOT_SHOWN;
      parsed[name] = one;
    }
    return parsed;
  };
}

/** zod's array, with `.min(least)`. */
function array(item: Parser, least = 0): Parser {
  return (value) => {
    if (!Array.isArray(value) || value.length < least) return NOT_SHOWN;
    const parsed: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const one = item(value[i]);
      if (one === NOT_SHOWN) return NOT_SHOWN;
      parsed.push(one);
    }
    return parsed;
  };
}

/** zod's string with `.min(least)` and `.regex(pattern)` (none of the schema's patterns is global or sticky). */
function string(least = 0, pattern?: RegExp): Parser {
  return (value) =>
    typeof value === "string" && value.length >= least && (pattern === undefined || pattern.test(value)) ? value : NOT_SHOWN;
}

/** zod's `z.url({ protocol: PATTERNS.httpProtocol })`, for a value it gives back unchanged: no surrounding whitespace, tab or line break. */
function httpUrl(value: unknown): unknown {
  if (typeof value !== "string" || value.trim() !== value || /[\t\n\r]/.test(value) || !/^https?:\/\//i.test(value)) return NOT_SHOWN;
  const url = URL.parse(value);
  return url !== null && PATTERNS.httpProtocol.test(url.protocol.slice(0, -1)) ? value : NOT_SHOWN;
}

/** zod's number with `.int()` (safe integers), `.min(least)` and `.max(most)`, both inclusive. */
function integer(least: number, most = Number.MAX_SAFE_INTEGER): Parser {
  return (value) => (typeof value === "number" && Number.isSafeInteger(value) && value >= least && value <= most ? value : NOT_SHOWN);
}

function boolean(value: unknown): unknown {
  return typeof value === "boolean" ? value : NOT_SHOWN;
}

/** zod's enum or literal. */
function oneOf(...values: readonly string[]): Parser {
  return (value) => (typeof value === "string" && values.includes(value) ? value : NOT_SHOWN);
}

function anything(value: unknown): unknown {
  return value;
}

/** zod's discriminatedUnion: the option the discriminator's value names. */
function discriminated(discriminator: string, options: Readonly<Record<string, Parser>>): Parser {
  return (value) => {
    if (!isPlainMapping(value)) return NOT_SHOWN;
    const name = value[discriminator];
    return typeof name === "string" && Object.hasOwn(options, name) ? options[name]!(value) : NOT_SHOWN;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// config/schema.ts, rule for rule
// ---------------------------------------------------------------------------------------------------------------

const envName = string(0, PATTERNS.envName);
const bindingName = string(0, PATTERNS.bindingName);
const scopeName = string(1, PATTERNS.scopeName);
const nonEmpty = string(1);

const clientCredentials = strictObject({ idEnv: required(envName), secretEnv: required(envName) });

export const api = strictObject({
  name: required(string(0, PATTERNS.apiName)),
  spec: required(nonEmpty),
  baseUrl: optional(httpUrl),
  baseUrlEnv: optional(envName),
  servers: optional(
    record(nonEmpty, strictObject({ url: optional(httpUrl), urlEnv: optional(envName), variables: optional(record(string(), string())) })),
  ),
  binding: optional(bindingName),
  timeoutMs: withDefault(integer(LIMITS.timeoutMs.min, LIMITS.timeoutMs.max), () => LIMITS.timeoutMs.default),
  maxResponseBytes: withDefault(integer(LIMITS.maxResponseBytes.min), () => LIMITS.maxResponseBytes.default),
});

export const pingfederate = strictObject({
  provider: required(oneOf("pingfederate")),
  issuer: required(httpUrl),
  resource: required(httpUrl),
  client: optional(clientCredentials),
  tokenValidation: withDefault(oneOf(...CHOICES.tokenValidation), () => DEFAULTS.tokenValidation),
  jwksUri: optional(httpUrl),
  introspectionEndpoint: optional(httpUrl),
  tokenEndpoint: optional(httpUrl),
  algorithms: withDefault(array(oneOf(...CHOICES.algorithms), 1), () => [...DEFAULTS.algorithms]),
  tokenType: optional(oneOf(...CHOICES.tokenType)),
});

export const pingone = strictObject({
  provider: required(oneOf("pingone")),
  issuer: required(httpUrl),
  resource: required(httpUrl),
  client: required(clientCredentials),
  acrValues: optional(string()),
  clientIdMetadataDocuments: optional(boolean),
  loginScopes: withDefault(array(scopeName), () => [...DEFAULTS.loginScopes]),
});

export const access = strictObject({
  provider: required(oneOf("access")),
  mode: required(oneOf(...CHOICES.accessMode)),
  teamDomain: required(httpUrl),
  aud: optional(nonEmpty),
  resource: required(httpUrl),
  client: optional(clientCredentials),
  clientIdMetadataDocuments: optional(boolean),
});

export const upstream = strictObject({
  credentials: required(oneOf(...CHOICES.credentials)),
  audience: optional(nonEmpty),
  resource: optional(httpUrl),
  schemes: optional(
    record(nonEmpty, strictObject({ valueEnv: optional(envName), usernameEnv: optional(envName), passwordEnv: optional(envName) })),
  ),
});

export const scopeRule = strictObject({
  users: optional(array(nonEmpty)),
  emailDomains: optional(array(string(0, PATTERNS.emailDomain))),
  groups: optional(array(nonEmpty)),
});

export const scope = strictObject({ description: required(nonEmpty), grantTo: optional(scopeRule) });

export const annotationsOverride = strictObject({
  title: optional(string()),
  readOnlyHint: optional(boolean),
  destructiveHint: optional(boolean),
  idempotentHint: optional(boolean),
  openWorldHint: optional(boolean),
});

const httpMethod = oneOf(...CHOICES.httpMethod);

export const selector = strictObject(
  {
    operations: optional(array(nonEmpty)),
    tags: optional(array(nonEmpty)),
    paths: optional(array(nonEmpty)),
    methods: optional(array(httpMethod)),
  },
  (s) => Object.values(s).some((list) => list !== undefined && (list as unknown[]).length > 0),
);

const visibility = oneOf(...CHOICES.visibility);
const arrayFormat = oneOf(...CHOICES.arrayFormat);
const toolName = string(0, PATTERNS.toolName);

export const toolOverride = strictObject({
  name: optional(toolName),
  title: optional(string()),
  description: optional(nonEmpty),
  scopes: optional(array(scopeName)),
  annotations: optional(annotationsOverride),
  visibility: optional(visibility),
  hiddenParameters: optional(record(nonEmpty, anything)),
  arrayFormat: optional(arrayFormat),
  parameters: optional(record(nonEmpty, strictObject({ arrayFormat: optional(arrayFormat) }))),
});

export const scopeRuleEntry = strictObject({ match: required(selector), scopes: required(array(scopeName, 1)) });

export const discoveryNames = strictObject(
  {
    search: withDefault(toolName, () => DEFAULTS.discoveryNames.search),
    describe: withDefault(toolName, () => DEFAULTS.discoveryNames.describe),
    call: withDefault(toolName, () => DEFAULTS.discoveryNames.call),
  },
  (names) => new Set([names["search"], names["describe"], names["call"]]).size === 3,
);

export const discovery = strictObject({
  names: prefault(discoveryNames, () => ({})),
  answerBudgetTokens: withDefault(integer(LIMITS.answerBudgetTokens.min), () => LIMITS.answerBudgetTokens.default),
});

export const tools = strictObject({
  mode: withDefault(oneOf(...CHOICES.toolsMode), () => DEFAULTS.toolsMode),
  discovery: prefault(discovery, () => ({})),
  scopeRules: withDefault(array(scopeRuleEntry), () => []),
  visibility: withDefault(visibility, () => DEFAULTS.visibility),
  include: optional(selector),
  exclude: optional(selector),
  outputSchemas: withDefault(oneOf(...CHOICES.outputSchemas), () => DEFAULTS.outputSchemas),
  descriptions: withDefault(oneOf(...CHOICES.descriptions), () => DEFAULTS.descriptions),
  arrayFormat: withDefault(arrayFormat, () => DEFAULTS.arrayFormat),
  // zod's `.positive()`: at least 1 for an integer.
  listBudgetTokens: withDefault(integer(1), () => LIMITS.listBudgetTokens.default),
  overrides: withDefault(record(nonEmpty, toolOverride), () => ({})),
});

export const bridgeConfig = strictObject({
  $schema: optional(string()),
  api: required(api),
  identity: required(discriminated("provider", { pingfederate, pingone, access })),
  upstream: required(upstream),
  scopes: withDefault(record(scopeName, scope), () => ({})),
  tools: prefault(tools, () => ({})),
});
