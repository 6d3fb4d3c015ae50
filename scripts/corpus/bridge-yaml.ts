/**
 * The bridge.yaml used to generate a bridge for a third-party spec in tests and benchmarks: PingFederate-style
 * identity on example hosts, every operation selected. `extra` appends YAML (e.g. a `tools:` section).
 */
export function corpusBridgeYaml(name: string, specPath: string, extra = ""): string {
  return [
    "api:",
    `  name: ${name}`,
    `  spec: ${JSON.stringify(specPath)}`,
    "  baseUrl: https://api.example.test/base",
    "identity:",
    "  provider: pingfederate",
    "  issuer: https://sso.example.test",
    "  resource: https://bridge.example.test/mcp",
    "  client: { idEnv: CLIENT_ID, secretEnv: CLIENT_SECRET }",
    "upstream:",
    "  credentials: token-exchange",
    "  audience: https://api.example.test",
    extra,
  ].join("\n");
}
