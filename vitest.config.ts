import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// One project per suite: Node-side suites (unit, generator, corpus) and Worker suites that run in workerd through
// @cloudflare/vitest-plugin (the sample Todo API now; the bridge runtime joins the same way).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "generator",
          include: ["test/generator/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "corpus",
          include: ["test/corpus/**/*.test.ts"],
          environment: "node",
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      // The local identity provider (scripts/idp) driven over HTTP like a client and a browser would.
      {
        test: {
          name: "idp",
          include: ["test/idp/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      // The sample Todo API (examples/todo-api) in workerd, against a key set served by the global setup in Node.
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const { issuer, audience, jwksUrl } = inject("todoApi");
            return {
              wrangler: { configPath: "./examples/todo-api/wrangler.jsonc" },
              miniflare: { bindings: { ISSUER: issuer, AUDIENCE: audience, JWKS_URL: jwksUrl } },
            };
          }),
        ],
        test: {
          name: "todo-api",
          include: ["test/todo-api/*.test.ts"],
          globalSetup: ["test/todo-api/global-setup.ts"],
        },
      },
      // The same Worker configured as behind Cloudflare Access: Access assertions, and default scopes for credentials
      // that name none (ACCESS_TEAM_DOMAIN is the global setup's key server, serving /cdn-cgi/access/certs).
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const { issuer, audience, jwksUrl, accessTeamDomain } = inject("todoApi");
            return {
              wrangler: { configPath: "./examples/todo-api/wrangler.jsonc" },
              miniflare: {
                bindings: {
                  ISSUER: issuer,
                  AUDIENCE: audience,
                  JWKS_URL: jwksUrl,
                  ACCESS_TEAM_DOMAIN: accessTeamDomain,
                  ACCESS_AUD: "todo-api-access-aud",
                  DEFAULT_SCOPES: "todo_api:read",
                },
              },
            };
          }),
        ],
        test: {
          name: "todo-api-access",
          include: ["test/todo-api/access/*.test.ts"],
          globalSetup: ["test/todo-api/global-setup.ts"],
        },
      },
      // Its contract test in Node: every response of the Worker (run by wrangler's test harness) against the spec.
      {
        test: {
          name: "todo-api-contract",
          include: ["test/todo-api/contract/*.test.ts"],
          environment: "node",
          globalSetup: ["test/todo-api/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The bridge runtime in workerd: a test bridge Worker (test/runtime/worker.ts) and the sample Todo API, both run
      // by wrangler's test harness from Node and driven with the official MCP SDK client and raw HTTP.
      {
        test: {
          name: "runtime",
          include: ["test/runtime/*.test.ts"],
          environment: "node",
          globalSetup: ["test/todo-api/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The MCP conformance suite's server scenarios (@modelcontextprotocol/conformance CLI) against a fixed-identity
      // test bridge Worker (test/conformance/worker.ts) calling the sample Todo API, both in workerd on free ports.
      {
        test: {
          name: "conformance",
          include: ["test/conformance/*.test.ts"],
          environment: "node",
          globalSetup: ["test/todo-api/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // `npm start` itself (scripts/start) on the fixed ports 9031/8787/8788: never alongside another npm start.
      {
        test: {
          name: "start",
          include: ["test/start/*.test.ts"],
          environment: "node",
          testTimeout: 90_000,
          hookTimeout: 30_000,
        },
      },
      // End to end (test/e2e): the local identity provider, the Todo API Worker and a bridge Worker generated for the
      // run, all on free ports, driven by the official MCP SDK client signing in through the IdP's pages.
      {
        test: {
          name: "e2e",
          include: ["test/e2e/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
