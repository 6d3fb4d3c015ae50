/**
 * The local stack (DESIGN decision 7): the identity provider in this process, the sample Todo API and the bridge under
 * `wrangler dev` (real workerd) as child processes, each waited for until it answers.
 */
import { randomBytes } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { startIdentityProvider, type RunningIdentityProvider } from "../idp/index.ts";
import type { Provider } from "./args.ts";
import { PINGONE_CLIENT_ENV, writePingOneBridge } from "./pingone.ts";
import { freePorts, HOST, PORTS } from "./ports.ts";
import { sleep, startProcess, type ManagedProcess } from "./processes.ts";

export interface StackUrls {
  issuer: string;
  api: string;
  bridge: string;
  mcp: string;
}

export const URLS: StackUrls = {
  issuer: `http://${HOST}:${PORTS.idp.port}`,
  api: `http://${HOST}:${PORTS.api.port}`,
  bridge: `http://${HOST}:${PORTS.bridge.port}`,
  mcp: `http://${HOST}:${PORTS.bridge.port}/mcp`,
};

export interface StackOptions {
  /** The project root (where wrangler.jsonc is). */
  root: string;
  /** Which identity provider the bridge is configured for (default pingfederate: the repo's bridge.yaml as it is). */
  provider?: Provider;
  /** How long each part may take to answer. */
  readyTimeoutMs: number;
  /** Our own messages (`[start] …`). */
  log(line: string): void;
  /** Called once when a child exits while the stack is up or starting (not while stopping). */
  onChildExit(message: string): void;
}

/** A failure to come up, with a message meant for the user. */
export class StartError extends Error {}

export class LocalStack {
  private idp: RunningIdentityProvider | undefined;
  private readonly children: ManagedProcess[] = [];
  private stopping: Promise<void> | undefined;
  private readonly options: StackOptions;
  readonly provider: Provider;
  readonly bridgeClient: { id: string; secret: string };

  constructor(options: StackOptions) {
    this.options = options;
    this.provider = options.provider ?? "pingfederate";
    const id = this.provider === "pingone" ? "pingone-bridge" : "mcp-bridge";
    this.bridgeClient = { id, secret: randomBytes(24).toString("base64url") };
  }

  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  /** Starts everything and resolves once all three answer; throws StartError (after stopping what did start). */
  async start(): Promise<StackUrls> {
    const { log } = this.options;
    try {
      // PingOne mode: bridge.yaml with provider pingone, generated into .cache/start/pingone/ (before anything starts).
      const pingOneConfig = this.provider === "pingone" ? await this.writePingOneBridge() : undefined;
      this.throwIfStopped();

      this.idp = await startIdentityProvider(
        pingOneConfig
          ? {
              // Standing in for PingOne: the bridge signs users in as a confidential OIDC client and keeps their token
              // for the API (its one resource at the authorization endpoint), as PingOne's with resource = the API.
              port: PORTS.idp.port,
              host: HOST,
              bridgeResource: URLS.api,
              apiAudience: URLS.api,
              extraClients: [
                {
                  client_id: this.bridgeClient.id,
                  client_secret: this.bridgeClient.secret,
                  redirect_uris: [`${URLS.bridge}/oauth/callback`],
                  grant_types: ["authorization_code", "refresh_token"],
                  response_types: ["code"],
                  token_endpoint_auth_method: "client_secret_basic",
                },
              ],
            }
          : { port: PORTS.idp.port, host: HOST, bridgeClient: this.bridgeClient },
      );
      await this.waitFor("idp", `${URLS.issuer}/.well-known/openid-configuration`, 200);
      log(`[idp] identity provider ready on ${this.idp.issuer} (in-process)`);
      this.throwIfStopped();

      const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
      const [apiInspector, bridgeInspector] = (await freePorts(2)) as [number, number];
      const wrangler = (args: string[], inspectorPort: number) => ({
        command: process.execPath,
        args: [
          join(this.options.root, "node_modules/.bin/wrangler"),
          "dev",
          ...args,
          "--ip",
          HOST,
          "--inspector-port",
          String(inspectorPort),
          "--show-interactive-dev-session=false",
        ],
        cwd: this.options.root,
        env,
      });
      const api = this.spawn({
        name: "todo-api",
        ...wrangler(["-c", "examples/todo-api/wrangler.jsonc", "--port", String(PORTS.api.port)], apiInspector),
      });
      const bridge = this.spawn({
        name: "bridge",
        ...wrangler(
          pingOneConfig
            ? [
                "-c",
                pingOneConfig,
                "--port",
                String(PORTS.bridge.port),
                "--var",
                `${PINGONE_CLIENT_ENV.id}:${this.bridgeClient.id}`,
                "--var",
                `${PINGONE_CLIENT_ENV.secret}:${this.bridgeClient.secret}`,
              ]
            : [
                "--port",
                String(PORTS.bridge.port),
                "--var",
                `PF_CLIENT_ID:${this.bridgeClient.id}`,
                "--var",
                `PF_CLIENT_SECRET:${this.bridgeClient.secret}`,
              ],
          bridgeInspector,
        ),
      });
      await Promise.all([
        this.waitFor("todo-api", `${URLS.api}/api/todos`, 401, api),
        this.waitFor("bridge", `${URLS.bridge}/.well-known/oauth-protected-resource/mcp`, 200, bridge),
      ]);
      this.throwIfStopped();
      return URLS;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops the children (process groups) and the identity provider; safe to call at any time, more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.children.map((child) => child.stop()));
      await this.idp?.close().catch(() => undefined);
    })();
    return this.stopping;
  }

  /** Last resort (a second Ctrl-C, or this process exiting without stop()): SIGKILL every child group now. */
  kill(): void {
    for (const child of this.children) child.kill();
  }

  private spawn(spec: Parameters<typeof startProcess>[0]): ManagedProcess {
    const child = startProcess(spec);
    this.children.push(child);
    void child.exited.then(({ code, signal }) => {
      if (this.stopped) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.options.onChildExit(`${child.name} ${how} unexpectedly (see the [${child.name}] lines above)`);
    });
    return child;
  }

  private async writePingOneBridge(): Promise<string> {
    const { log, root } = this.options;
    try {
      const path = await writePingOneBridge(root, URLS);
      log(`[start] generated the PingOne-mode bridge into ${relative(root, dirname(path))}/ (from bridge.yaml)`);
      return relative(root, path);
    } catch (error) {
      throw new StartError(`could not generate the PingOne-mode bridge from bridge.yaml: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new StartError("stopped while starting");
  }

  /** Polls `url` until it answers `status`; fails early when `child` exits, or after the ready timeout. */
  private async waitFor(name: string, url: string, status: number, child?: ManagedProcess): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (this.stopped) throw new StartError("stopped while starting");
      if (child && !child.running) throw new StartError(`${name} exited before it answered on ${url}: see the [${name}] lines above`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
        await response.body?.cancel();
        if (response.status === status) return;
        last = `answered ${response.status}, expected ${status}`;
      } catch (error) {
        last = describeFetchError(error);
      }
      await sleep(250);
    }
    const seconds = Math.round(this.options.readyTimeoutMs / 1000);
    throw new StartError(
      `${name} did not come up: GET ${url} ${last} after ${seconds} s (see the [${name}] lines above; ` +
        `START_TIMEOUT_MS raises the limit)`,
    );
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return `failed (${cause.code})`;
  return `failed (${error instanceof Error ? error.message : String(error)})`;
}
