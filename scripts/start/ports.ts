/** The stack's fixed loopback ports (DESIGN decision 7) and a fail-fast check that they are free. */
import { createServer, type AddressInfo } from "node:net";

export const HOST = "127.0.0.1";

export interface PortSpec {
  port: number;
  /** Who needs it, for the message: "the identity provider", "the Todo API", "the bridge". */
  owner: string;
}

export const PORTS = {
  idp: { port: 9031, owner: "the identity provider" },
  api: { port: 8787, owner: "the Todo API" },
  bridge: { port: 8788, owner: "the bridge" },
} as const satisfies Record<string, PortSpec>;

/** Whether `port` can be bound on 127.0.0.1 right now (the socket is closed again at once). */
export function isPortFree(port: number, host: string = HOST): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** One line per busy port, naming it and what to do; empty when all are free. */
export async function busyPortMessages(specs: readonly PortSpec[]): Promise<string[]> {
  const free = await Promise.all(specs.map((spec) => isPortFree(spec.port)));
  return specs
    .filter((_, index) => !free[index])
    .map(
      ({ port, owner }) =>
        `port ${port} is in use (another npm start or wrangler dev?): ${owner} needs it. ` +
        `Stop what listens there (find it with \`lsof -iTCP:${port} -sTCP:LISTEN\`) and run npm start again.`,
    );
}

/**
 * Distinct free loopback ports, all held at once while picking. Used for wrangler's inspector ports: two `wrangler dev`
 * started together otherwise both pick 9229 and the second fails with "Address already in use".
 */
export async function freePorts(count: number, host: string = HOST): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, host, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
