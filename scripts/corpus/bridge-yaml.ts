/**
 * The bridge.yaml used to generate a bridge for a third-party spec in tests and benchmarks: PingFederate-style
 * identity on example hosts, every operation selected. `extra` appends YAML (e.g. a `tools:` section); `schemes`
 * gives the spec's non-OAuth security schemes a credential source, so operations secured only by them become tools.
 */
export type CorpusScheme = "apiKey" | "basic" | "mutualTLS";

export function corpusBridgeYaml(name: string, specPath: string, extra = "", schemes: Readonly<Record<string, CorpusScheme>> = {}): string {
  const entries = Object.entries(schemes).filter(([, type]) => type !== "mutualTLS");
  const variable = (scheme: string, what: string) => `${scheme.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_${what}`;
  return [
    "api:",
    `  name: ${name}`,
    `  spec: ${JSON.stringify(specPath)}`,
    "  baseUrl: https://api.example.test/base",
    // A client certificate is presented through an mtls_certificates binding.
    ...(Object.values(schemes).includes("mutualTLS") ? ["  binding: UPSTREAM_MTLS"] : []),
    "identity:",
    "  provider: pingfederate",
    "  issuer: https://sso.example.test",
    "  resource: https://bridge.example.test/mcp",
    "  client: { idEnv: BRIDGE_CLIENT_ID, secretEnv: BRIDGE_CLIENT_SECRET }",
    "upstream:",
    "  credentials: token-exchange",
    "  audience: https://api.example.test",
    ...(entries.length > 0 ? ["  schemes:"] : []),
    ...entries.map(([scheme, type]) =>
      type === "apiKey"
        ? `    ${JSON.stringify(scheme)}: { valueEnv: ${variable(scheme, "KEY")} }`
        : `    ${JSON.stringify(scheme)}: { usernameEnv: ${variable(scheme, "USER")}, passwordEnv: ${variable(scheme, "PASSWORD")} }`,
    ),
    extra,
  ].join("\n");
}
