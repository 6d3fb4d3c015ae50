/**
 * `node scripts/idp/main.ts`: the local identity provider on 127.0.0.1:9031 (DESIGN decision 7), standing in for
 * PingFederate. PORT overrides the port (0 = any free port). Stops on SIGINT/SIGTERM.
 */
import { acceptOnlyHelp } from "../usage.ts";
import { startIdentityProvider } from "./server.ts";

acceptOnlyHelp(`usage: node_modules/.bin/node scripts/idp/main.ts        (PORT=<port>, default 9031; 0 = any free port)

The local identity provider standing in for PingFederate (oidc-provider with PingFederate's paths) on 127.0.0.1:
users demo/demo and reader/reader. Prints its issuer; Ctrl-C stops it. See scripts/idp/README.md.`);

const port = process.env["PORT"] === undefined ? 9031 : Number(process.env["PORT"]);
const idp = await startIdentityProvider({ port });
console.log(idp.issuer);
console.error(`identity provider ready: ${idp.issuer}/.well-known/openid-configuration (users demo/demo, reader/reader)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void idp.close().then(() => process.exit(0));
  });
}
