/**
 * The whole bridge in process for a test file: `createBridge` with the generated Todo tools, the real PingFederate
 * adapter against the authorization-server double (tokens, JWKS, token endpoint, introspection), a fake Todo API that
 * records the requests it gets, and the log events. Registers its own hooks: one double per file, state reset per test.
 */
import type { JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { policy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import { createPingFederateAdapter, type PingFederateOptions } from "../../../src/auth/pingfederate.ts";
import { clearTokenExchangeCache } from "../../../src/auth/token-exchange.ts";
import type { AdapterDeps } from "../../../src/auth/types.ts";
import { createBridge, type Bridge } from "../../../src/bridge.ts";
import type { LogEvent } from "../../../src/log.ts";
import { startAsDouble, type AsDouble } from "../auth/as-double.ts";
import { API_SCOPES, bridgeConfig, pingFederateOptions, RESOURCE, SCOPES } from "../auth/fixtures.ts";

export interface PingFederateBridge {
  /** The authorization-server double (started before the file's tests). */
  readonly as: AsDouble;
  /** Requests that reached the fake Todo API, this test. */
  readonly apiCalls: Request[];
  /** Every log event of the bridge and the adapter, this test. */
  readonly logs: LogEvent[];
  /** A bridge with the PingFederate adapter resolved for the double (or `options`), and `deps` for the adapter. */
  bridge(options?: PingFederateOptions, deps?: AdapterDeps): Bridge;
  /** A token the double signs for the bridge: both Todo scopes, valid an hour, with `claims` on top. */
  token(claims?: JWTPayload): Promise<string>;
}

export function pingFederateBridge(): PingFederateBridge {
  let as: AsDouble | undefined;
  let originalExchange: AsDouble["onExchange"];
  const apiCalls: Request[] = [];
  const logs: LogEvent[] = [];
  const double = (): AsDouble => {
    if (!as) throw new Error("the authorization-server double is started in beforeAll");
    return as;
  };

  beforeAll(async () => {
    as = await startAsDouble();
    originalExchange = as.onExchange;
  });
  afterAll(() => as?.close());
  beforeEach(() => {
    clearTokenExchangeCache();
    double().exchanges.length = 0;
    double().onExchange = originalExchange;
    double().introspection.clear();
    apiCalls.length = 0;
    logs.length = 0;
  });

  return {
    get as() {
      return double();
    },
    apiCalls,
    logs,
    bridge(options = pingFederateOptions(double().issuer), deps = {}) {
      return createBridge({
        config: bridgeConfig({ adapter: "pingfederate", options }),
        tools,
        policy,
        adapter: createPingFederateAdapter(options, { scopes: API_SCOPES, log: (event) => logs.push(event), ...deps }),
        fetch: async (input, init) => {
          apiCalls.push(new Request(input, init));
          return Response.json({ todos: [] });
        },
        log: (event) => logs.push(event),
      });
    },
    token(claims = {}) {
      const { issuer } = double();
      return double().sign({ iss: issuer, aud: RESOURCE, sub: "demo", scope: SCOPES.join(" "), exp: Math.floor(Date.now() / 1000) + 3600, ...claims });
    },
  };
}
