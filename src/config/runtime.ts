/**
 * What the deployed Worker reads of bridge.yaml (`generated/config.ts`), resolved by the generator after it validated
 * the file (scripts/generator/config/): no spec path, no tool selection (already applied), the chosen auth adapter's
 * options with every default filled in, and secrets only as environment variable names. Hand-written, so the Worker
 * does not load the schema (zod) to know its own input.
 */
import type { AuthConfig } from "../auth/index.ts";

export interface ApiConfig {
  readonly name: string;
  readonly title: string;
  readonly version: string;
  /** Absolute base URL of the API; `baseUrlEnv`, when set and present at run time, wins. */
  readonly baseUrl?: string;
  readonly baseUrlEnv?: string;
  /** A service binding to the API's Worker: when set, upstream requests go through `env[binding].fetch`. */
  readonly binding?: string;
  /** Time limit for one upstream attempt, in milliseconds. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface RuntimeConfig {
  readonly api: ApiConfig;
  /** The auth adapter and its options; `auth.options.resource` is the bridge's canonical MCP URL. */
  readonly auth: AuthConfig;
}
