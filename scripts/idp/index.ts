/** The local identity provider standing in for PingFederate (DESIGN decision 7). See README.md in this folder. */
export { startIdentityProvider, type IdentityProviderStats, type RunningIdentityProvider } from "./server.ts";
export type { IdentityProviderOptions, StaticClient } from "./options.ts";
export { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./options.ts";
export { ROUTES } from "./configuration.ts";
