/**
 * The bridge's own confidential client at the identity provider (token exchange, introspection, the upstream sign-in):
 * bridge.yaml names the environment variables, the Worker's secrets hold the values, read per request.
 */
import { DeploymentIncomplete } from "./errors.ts";

/** Environment variable names of the client id and secret (Worker secrets or vars). */
export interface ClientEnvNames {
  readonly idEnv: string;
  readonly secretEnv: string;
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The client's id and secret from the Worker's environment; throws when a secret was not set at deploy. */
export function clientCredentialsFrom(names: ClientEnvNames, env: Readonly<Record<string, unknown>>): ClientCredentials {
  const clientId = env[names.idEnv];
  const clientSecret = env[names.secretEnv];
  if (typeof clientId !== "string" || clientId === "" || typeof clientSecret !== "string" || clientSecret === "") {
    throw new DeploymentIncomplete(`the bridge's client credentials are not set: define the secrets ${names.idEnv} and ${names.secretEnv}`);
  }
  return { clientId, clientSecret };
}
