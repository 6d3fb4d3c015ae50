/**
 * `node scripts/idp/main.ts`: the local identity provider on 127.0.0.1:9031 (DESIGN decision 7), standing in for
 * PingFederate. PORT overrides the port (0 = any free port). Stops on SIGINT/SIGTERM.
 */
import { startIdentityProvider } from "./server.ts";

const port = process.env["PORT"] === undefined ? 9031 : Number(process.env["PORT"]);
const idp = await startIdentityProvider({ port });
console.log(idp.issuer);
console.error(`identity provider ready: ${idp.issuer}/.well-known/openid-configuration (users demo/demo, reader/reader)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void idp.close().then(() => process.exit(0));
  });
}
