/**
 * The schema of `bridge.yaml`, defined once. The generator validates the file with it, exports it as JSON Schema
 * (`generated/bridge.schema.json`) for editors, and writes the resolved result to `generated/config.ts`, typed by
 * the runtime's own hand-written types (src/config/runtime.ts): the Worker never loads this schema. Secrets never
 * appear in the file: only the names of the environment variables that hold them.
 */
import { z } from "zod";

/**
 * What bridge.yaml's rules are made of: patterns, lists of choices, bounds and defaults. The schema below and
 * config/valid-config.ts (a valid file checked without zod) both take them from here, so a value changed here changes
 * both; which keys exist and which are optional is repeated there, and test/unit/config-valid.test.ts holds it to
 * this schema. Plain values: made at load for nothing, unlike the schema.
 */
export const PATTERNS = {
  envName: /^[A-Za-z_][A-Za-z0-9_]*$/,
  bindingName: /^[A-Za-z_$][A-Za-z0-9_$]*$/,
  scopeName: /^[\x21\x23-\x5B\x5D-\x7E]+$/,
  apiName: /^[a-z][a-z0-9-]*$/,
  emailDomain: /^[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/,
  toolName: /^[a-z0-9_]{1,64}$/,
  /** A URL's scheme, without its colon. */
  httpProtocol: /^https?$/,
} as const;

export const CHOICES = {
  tokenValidation: ["jwt", "introspection"],
  algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
  tokenType: ["any", "at+jwt"],
  accessMode: ["self-hosted", "saas"],
  credentials: ["token-exchange", "upstream-token", "access-linked-app", "none"],
  httpMethod: ["get", "put", "post", "delete", "options", "head", "patch", "trace"],
  visibility: ["hide", "list"],
  arrayFormat: ["brackets", "indices", "repeat"],
  toolsMode: ["static", "discovery", "auto"],
  outputSchemas: ["auto", "full", "compact", "none"],
  descriptions: ["auto", "full", "concise"],
} as const;

/** Integers' bounds (inclusive) and defaults. */
export const LIMITS = {
  timeoutMs: { min: 100, max: 300_000, default: 30_000 },
  maxResponseBytes: { min: 1024, default: 1_048_576 },
  answerBudgetTokens: { min: 200, default: 1_500 },
  /** `.positive()`: at least 1, for an integer. */
  listBudgetTokens: { default: 25_000 },
} as const;

/** The other defaults (an array is copied for each use). */
export const DEFAULTS = {
  tokenValidation: "jwt",
  algorithms: ["RS256", "ES256", "PS256"],
  loginScopes: ["openid", "profile", "email", "offline_access"],
  discoveryNames: { search: "search_operations", describe: "describe_operation", call: "call_operation" },
  toolsMode: "auto",
  visibility: "hide",
  outputSchemas: "auto",
  descriptions: "auto",
  arrayFormat: "brackets",
} as const;

/**
 * The schema, made on first use and kept: a run whose bridge.yaml is valid never needs it (config/valid-config.ts
 * checks such a file without zod), and making its ~100 zod schemas was ~10 ms of CPU at every start.
 */
export function bridgeConfigSchema(): BridgeConfigSchema {
  return (made ??= makeBridgeConfigSchema());
}

type BridgeConfigSchema = ReturnType<typeof makeBridgeConfigSchema>;

let made: BridgeConfigSchema | undefined;

function makeBridgeConfigSchema() {
  /**
   * A Worker var or secret name. Deployed, it is a binding, which Cloudflare's API takes as "a JavaScript variable name"
   * (workers_secret_name); locally `.dev.vars` is read as dotenv (`[\w.-]+` keys). Both accept exactly ASCII letters,
   * digits and `_`, not starting with a digit.
   */
  const envName = z
    .string()
    .regex(PATTERNS.envName, {
      error: (issue) => {
        const near = String(issue.input).replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(?=\d)/, "_");
        return `must be a Worker variable name: ASCII letters, digits and _, not starting with a digit (did you mean "${near}"?)`;
      },
    })
    .describe("Name of the environment variable (Worker secret or var) that holds the value.");

  /**
   * A Worker binding name: wrangler exposes it as `env.<name>`, so it must be a JavaScript identifier (ASCII letters,
   * digits, `_` and `$`, not starting with a digit).
   */
  const bindingName = z
    .string()
    .regex(PATTERNS.bindingName, "must be a binding name (a JavaScript identifier such as TODO_API)")
    .describe("Name of a Worker binding (env.<name>).");

  const httpUrl = z
    .url({ protocol: PATTERNS.httpProtocol })
    .describe("An absolute http(s) URL.");

  const scopeName = z
    .string()
    .min(1)
    .regex(PATTERNS.scopeName, "a scope is printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)");

  /** The bridge's own confidential client at the identity provider (token exchange, upstream login). */
  const clientCredentials = z
    .strictObject({
      idEnv: envName.describe("Environment variable holding the client id."),
      secretEnv: envName.describe("Environment variable holding the client secret."),
    })
    .describe("The bridge's own client at the identity provider, given as environment variable names.");

  const api = z
    .strictObject({
      name: z
        .string()
        .regex(PATTERNS.apiName, "lower-case letters, digits and dashes, starting with a letter")
        .describe("Short name of the API: used in the MCP server name and in generated docs."),
      spec: z
        .string()
        .min(1)
        .describe("Path to the OpenAPI (3.0, 3.1) or Swagger 2.0 document, YAML or JSON, relative to bridge.yaml."),
      baseUrl: httpUrl
        .optional()
        .describe("Upstream base URL. Defaults to the spec's first server URL."),
      baseUrlEnv: envName
        .optional()
        .describe("Environment variable that overrides baseUrl at run time (for deployments)."),
      servers: z
        .record(
          z.string().min(1),
          z.strictObject({
            url: httpUrl.optional().describe("Replaces the spec's URL for this server."),
            urlEnv: envName.optional().describe("Environment variable that overrides the URL at run time."),
            variables: z.record(z.string(), z.string()).optional().describe("Values for the URL's {variables} (default: the spec's)."),
          }),
        )
        .optional()
        .describe(
          "Servers that path items or operations list instead of the API's (an upload host), keyed by their URL as " +
            "the spec writes it. Those operations are sent there, with the same upstream credentials.",
        ),
      binding: bindingName
        .optional()
        .describe(
          "Service binding to the API's Worker (a `services` entry in wrangler.jsonc): upstream requests go through " +
            "env[binding].fetch instead of the public network. URLs are still built from baseUrl.",
        ),
      timeoutMs: z
        .number()
        .int()
        .min(LIMITS.timeoutMs.min)
        .max(LIMITS.timeoutMs.max)
        .default(LIMITS.timeoutMs.default)
        .describe("Time limit for one upstream call, in milliseconds."),
      maxResponseBytes: z
        .number()
        .int()
        .min(LIMITS.maxResponseBytes.min)
        .default(LIMITS.maxResponseBytes.default)
        .describe("Upstream responses larger than this are truncated, with a note to the model."),
    })
    .describe("The upstream API the bridge exposes as tools.");

  const pingfederate = z.strictObject({
    provider: z.literal("pingfederate"),
    issuer: httpUrl.describe("PingFederate's issuer (base URL), e.g. https://sso.example.com:9031."),
    resource: httpUrl.describe("The bridge's canonical MCP URL: the audience of the tokens clients present."),
    client: clientCredentials.optional(),
    tokenValidation: z
      .enum(CHOICES.tokenValidation)
      .default(DEFAULTS.tokenValidation)
      .describe("jwt: verify signed access tokens with the JWKS; introspection: ask PingFederate (RFC 7662)."),
    jwksUri: httpUrl.optional().describe("Only when discovery cannot give it (e.g. an /ext/<path> JWKS)."),
    introspectionEndpoint: httpUrl.optional().describe("Only when discovery cannot give it."),
    tokenEndpoint: httpUrl.optional().describe("Only when discovery cannot give it."),
    algorithms: z
      .array(z.enum(CHOICES.algorithms))
      .min(1)
      .default([...DEFAULTS.algorithms])
      .describe("Signature algorithms accepted on access tokens."),
    tokenType: z
      .enum(CHOICES.tokenType)
      .optional()
      .describe(
        "The JWT `typ` header access tokens must carry (tokenValidation: jwt). at+jwt: RFC 9068 §4, refuses anything else " +
          "(an ID token, a JWT minted for another purpose); any (the default): not checked, because PingFederate's JSON " +
          "token manager writes `typ` only when configured to, and PingOne adds `typ: at+jwt` only optionally until " +
          "2 March 2027 (https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html).",
      ),
  });

  const pingone = z.strictObject({
    provider: z.literal("pingone"),
    issuer: httpUrl.describe("PingOne issuer, https://auth.pingone.<region>/<environment id>/as."),
    resource: httpUrl.describe("The bridge's canonical MCP URL."),
    client: clientCredentials,
    acrValues: z.string().optional().describe("DaVinci policy id sent as acr_values at login."),
    clientIdMetadataDocuments: z
      .boolean()
      .optional()
      .describe(
        "Also accept MCP clients that identify by a Client ID Metadata Document URL (https client_id) instead of registering. " +
          "Needs the compatibility flag global_fetch_strictly_public in wrangler.jsonc.",
      ),
    loginScopes: z
      .array(scopeName)
      .default([...DEFAULTS.loginScopes])
      .describe("OIDC scopes asked of PingOne at login, besides the API scopes."),
  });

  const access = z.strictObject({
    provider: z.literal("access"),
    mode: z
      .enum(CHOICES.accessMode)
      .describe("self-hosted: Access sits in front of the bridge; saas: the bridge is an Access for SaaS OIDC app."),
    teamDomain: httpUrl.describe("https://<team>.cloudflareaccess.com"),
    aud: z.string().min(1).optional().describe("The Access application's AUD tag (self-hosted mode)."),
    resource: httpUrl.describe("The bridge's canonical MCP URL."),
    client: clientCredentials.optional().describe("The Access for SaaS application's client (saas mode)."),
    clientIdMetadataDocuments: z
      .boolean()
      .optional()
      .describe(
        "Also accept MCP clients (saas mode) that identify by a Client ID Metadata Document URL (https client_id) instead of registering. " +
          "Needs the compatibility flag global_fetch_strictly_public in wrangler.jsonc.",
      ),
  });

  const identity = z
    .discriminatedUnion("provider", [pingfederate, pingone, access])
    .describe("Who signs users in. Switching provider needs only this section, env secrets and a redeploy.");

  const upstream = z
    .strictObject({
      credentials: z
        .enum(CHOICES.credentials)
        .describe(
          "token-exchange: RFC 8693 exchange of the caller's token for an API token; upstream-token: the token the " +
            "bridge obtained at login; access-linked-app: forward the Access assertion as Cf-Access-Token; none.",
        ),
      audience: z.string().min(1).optional().describe("RFC 8693 `audience` of the exchanged token."),
      resource: httpUrl.optional().describe("RFC 8707 `resource` of the exchanged or upstream token."),
      schemes: z
        .record(
          z.string().min(1),
          z.strictObject({
            valueEnv: envName.optional().describe("apiKey schemes: the key, sent where the scheme says (header, query or cookie)."),
            usernameEnv: envName.optional().describe("http basic schemes: the user name."),
            passwordEnv: envName.optional().describe("http basic schemes: the password."),
          }),
        )
        .optional()
        .describe("Credentials for the spec's non-OAuth security schemes (apiKey, http basic), by scheme name; Worker secrets."),
    })
    .describe("How the bridge authenticates to the API on the caller's behalf.");

  const scopeRule = z
    .strictObject({
      users: z.array(z.string().min(1)).optional().describe("Subjects or email addresses."),
      emailDomains: z.array(z.string().regex(PATTERNS.emailDomain, "a domain such as example.com")).optional(),
      groups: z.array(z.string().min(1)).optional().describe("Group names from the identity's claims."),
    })
    .describe("Grants the scope to identities that match any of the lists.");

  const scope = z.strictObject({
    description: z.string().min(1).describe("Shown in docs and on consent screens."),
    grantTo: scopeRule.optional(),
  });

  const annotationsOverride = z.strictObject({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  });

  const httpMethod = z.enum(CHOICES.httpMethod);

  const selector = z
    .strictObject({
      operations: z.array(z.string().min(1)).optional().describe("operationIds."),
      tags: z.array(z.string().min(1)).optional(),
      paths: z.array(z.string().min(1)).optional().describe("Path globs: * matches one segment, ** any number."),
      methods: z.array(httpMethod).optional(),
    })
    .refine((s) => Object.values(s).some((list) => list !== undefined && list.length > 0), {
      message: "lists no operations, tags, paths or methods (an empty selector would match nothing)",
    });

  const visibility = z
    .enum(CHOICES.visibility)
    .describe("hide: a caller sees only the tools it may call; list: it sees all, and a call beyond its scopes asks it to step up.");

  const arrayFormat = z
    .enum(CHOICES.arrayFormat)
    .describe(
      "How arrays inside deepObject parameters and styled form-body fields are sent, where OpenAPI leaves it open: " +
        "brackets a[]=x&a[]=y, indices a[0]=x&a[1]=y, repeat a=x&a=y. Arrays of objects are always indexed (a[0][b]=1).",
    );

  const toolOverride = z.strictObject({
    name: z
      .string()
      .regex(PATTERNS.toolName, "snake_case, at most 64 characters")
      .optional(),
    title: z.string().optional(),
    description: z.string().min(1).optional(),
    scopes: z.array(scopeName).optional().describe("Replaces the scopes from the spec's security requirements."),
    annotations: annotationsOverride.optional(),
    visibility: visibility.optional(),
    hiddenParameters: z
      .record(z.string().min(1), z.unknown())
      .optional()
      .describe("Parameters removed from the tool's input and always sent with this value."),
    arrayFormat: arrayFormat.optional().describe("This operation's array format (default: tools.arrayFormat)."),
    parameters: z
      .record(z.string().min(1), z.strictObject({ arrayFormat: arrayFormat.optional() }))
      .optional()
      .describe("Per parameter or body field (its name in the spec): { arrayFormat }."),
  });

  const toolName = z.string().regex(PATTERNS.toolName, "snake_case, at most 64 characters");

  /** A rule giving scopes to every operation a selector matches (for specs, like GitHub's, that declare none). */
  const scopeRuleEntry = z
    .strictObject({
      match: selector.describe("The operations the rule applies to (any criterion matches)."),
      scopes: z.array(scopeName).min(1).describe("Scopes a caller needs for those operations (each declared under scopes:)."),
    })
    .describe("Operations matched get these scopes.");

  const discovery = z
    .strictObject({
      names: z
        .strictObject({
          search: toolName.default(DEFAULTS.discoveryNames.search),
          describe: toolName.default(DEFAULTS.discoveryNames.describe),
          call: toolName.default(DEFAULTS.discoveryNames.call),
        })
        .refine((names) => new Set([names.search, names.describe, names.call]).size === 3, {
          message: "the search, describe and call tools need three different names",
        })
        .prefault({})
        .describe("The three tools listed in discovery mode."),
      answerBudgetTokens: z
        .number()
        .int()
        .min(LIMITS.answerBudgetTokens.min)
        .default(LIMITS.answerBudgetTokens.default)
        .describe("Largest search answer, in estimated tokens: fewer operations are returned rather than more text."),
    })
    .describe("Discovery mode's tools (tools.mode: discovery, or auto over the budget).");

  const tools = z
    .strictObject({
      mode: z
        .enum(CHOICES.toolsMode)
        .default(DEFAULTS.toolsMode)
        .describe(
          "static: every operation is a tool in tools/list; discovery: three tools (search, describe, call) reach every " +
            "operation, for APIs too big to list; auto: discovery when the static tools/list would exceed listBudgetTokens.",
        ),
      discovery: discovery.prefault({}),
      scopeRules: z
        .array(scopeRuleEntry)
        .default([])
        .describe(
          "Scopes by selector: an operation needs every scope of every rule that matches it, instead of its spec " +
            "security scopes. tools.overrides.<operationId>.scopes still wins.",
        ),
      visibility: visibility.default(DEFAULTS.visibility),
      include: selector.optional().describe("Only operations matching any listed criterion (default: all)."),
      exclude: selector.optional().describe("Operations matching any listed criterion are left out."),
      outputSchemas: z
        .enum(CHOICES.outputSchemas)
        .default(DEFAULTS.outputSchemas)
        .describe(
          "The 2xx JSON response schema advertised in tools/list. full: all of it; compact: property names and types " +
            "three levels deep (descriptions on the first); auto: full when small, else compact; none: omitted.",
        ),
      descriptions: z
        .enum(CHOICES.descriptions)
        .default(DEFAULTS.descriptions)
        .describe(
          "Text in tools/list. full: the spec's descriptions; concise: the summary, first sentences, no links, no " +
            "nested property descriptions and only small output schemas (every parameter stays); auto: full unless " +
            "that is over listBudgetTokens. generated/TOOLS.md always has the full text.",
        ),
      arrayFormat: arrayFormat.default(DEFAULTS.arrayFormat),
      listBudgetTokens: z
        .number()
        .int()
        .positive()
        .default(LIMITS.listBudgetTokens.default)
        .describe("Warn when the estimated tools/list size exceeds this many tokens; with mode auto, switch to discovery."),
      overrides: z.record(z.string().min(1), toolOverride).default({}).describe("Per-tool settings, keyed by operationId."),
    })
    .describe("Which operations become tools, and how.");

  return z
    .strictObject({
      $schema: z.string().optional(),
      api,
      identity,
      upstream,
      scopes: z.record(scopeName, scope).default({}).describe("The API's scopes: descriptions and claim rules."),
      // prefault: an absent `tools` is parsed as {}, so each key's own default applies (stated once, above).
      tools: tools.prefault({}),
    })
    .describe("bridge.yaml: one MCP bridge for one identity-secured API.");
}

/** bridge.yaml as written by a user. */
export type BridgeConfigInput = z.input<BridgeConfigSchema>;
/** bridge.yaml after validation, with every default filled in. */
export type BridgeConfig = z.output<BridgeConfigSchema>;
export type IdentityConfig = BridgeConfig["identity"];
export type ToolSelector = NonNullable<BridgeConfig["tools"]["include"]>;
export type ToolOverride = BridgeConfig["tools"]["overrides"][string];
export type ScopeRule = BridgeConfig["tools"]["scopeRules"][number];
export type DiscoveryConfig = BridgeConfig["tools"]["discovery"];

