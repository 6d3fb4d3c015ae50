/**
 * The local stack (DESIGN decision 7): the identity provider in this process, the sample Todo API and the bridge under
 * `wrangler dev` (real workerd) as child processes, each waited for until it answers. In Access mode the local
 * Access team takes the identity provider's port and Access edges take the API's and the bridge's, in front of them.
 */
import { randomBytes } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { startAccessEdge, type AccessPolicy } from "../access/edge.ts";
import { startAccessTeam, type AccessTeam } from "../access/team.ts";
import { startIdentityProvider } from "../idp/index.ts";
import type { Provider } from "./args.ts";
import { writeDevVars } from "./dev-vars.ts";
import { ACCESS_AUD, modeDir, PINGONE_CLIENT_ENV, START_DIR, writeModeBridge } from "./mode-bridge.ts";
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
  /** What runs in this process: the identity provider or the Access team, and the Access edges. */
  private readonly services: { close(): Promise<void> }[] = [];
  private accessTeam: AccessTeam | undefined;
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
    try {
      // Other modes: bridge.yaml switched to the provider, generated into .cache/start/<provider>/ (before anything starts).
      const modeConfig = this.provider === "pingfederate" ? undefined : await this.writeModeBridge(this.provider);
      this.throwIfStopped();
      await this.startSignIn();
      this.throwIfStopped();

      // Behind Access, the fixed ports belong to the Access edges; the Workers listen on free ports behind them.
      const behindAccess = this.provider === "access";
      const [apiInspector, bridgeInspector, apiOrigin, bridgeOrigin] = (await freePorts(4)) as [number, number, number, number];
      const apiPort = behindAccess ? apiOrigin : PORTS.api.port;
      const bridgePort = behindAccess ? bridgeOrigin : PORTS.bridge.port;
      const bridgeSecrets = await this.writeBridgeSecrets();
      const api = this.spawn({
        name: "todo-api",
        ...this.wrangler(["-c", "examples/todo-api/wrangler.jsonc", "--port", String(apiPort), ...vars(this.apiVars())], apiInspector, "todo-api"),
      });
      const bridge = this.spawn({
        name: "bridge",
        ...this.wrangler([...(modeConfig ? ["-c", modeConfig] : []), "--port", String(bridgePort), ...bridgeSecrets], bridgeInspector, "bridge"),
      });
      const bridgeOriginUrl = `http://${HOST}:${bridgePort}`;
      await Promise.all([
        this.waitFor("todo-api", `http://${HOST}:${apiPort}/api/todos`, 401, api),
        behindAccess
          ? // No OAuth metadata behind Access: an MCP request without an assertion is refused with 401.
            this.waitFor("bridge", `${bridgeOriginUrl}/mcp`, 401, bridge)
          : this.waitFor("bridge", `${bridgeOriginUrl}/.well-known/oauth-protected-resource/mcp`, 200, bridge),
      ]);
      this.throwIfStopped();
      if (behindAccess) await this.startAccessEdges(`http://${HOST}:${apiPort}`, bridgeOriginUrl);
      return URLS;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** The identity provider, or in Access mode the local Access team, in this process on port 9031. */
  private async startSignIn(): Promise<void> {
    const { log } = this.options;
    if (this.provider === "access") {
      this.accessTeam = await startAccessTeam({ port: PORTS.idp.port, host: HOST, loginAud: ACCESS_AUD.bridge });
      this.services.push(this.accessTeam);
      await this.waitFor("access", `${URLS.issuer}/cdn-cgi/access/certs`, 200);
      log(`[access] Cloudflare Access stand-in ready on ${this.accessTeam.teamDomain} (in-process)`);
      return;
    }
    const idp = await startIdentityProvider(
      this.provider === "pingone"
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
    this.services.push(idp);
    await this.waitFor("idp", `${URLS.issuer}/.well-known/openid-configuration`, 200);
    log(`[idp] identity provider ready on ${idp.issuer} (in-process)`);
  }

  /** Access in front of both Workers, on the fixed ports: the bridge's application, and the API's, linked to it. */
  private async startAccessEdges(apiOrigin: string, bridgeOrigin: string): Promise<void> {
    const team = this.accessTeam!;
    const listen = async (port: number, origin: string, policy: AccessPolicy) => {
      try {
        this.services.push(await startAccessEdge(team, origin, policy, { port }));
      } catch (error) {
        throw new StartError(`the Access edge could not listen on ${HOST}:${port}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    await listen(PORTS.api.port, apiOrigin, { aud: ACCESS_AUD.api, linked: [ACCESS_AUD.bridge] });
    await listen(PORTS.bridge.port, bridgeOrigin, { aud: ACCESS_AUD.bridge, linked: [] });
    this.options.log(`[access] Access edges in front of the Todo API (${URLS.api}) and the bridge (${URLS.bridge})`);
  }

  /** The sample API's vars: behind Access, it trusts the team's assertions and grants its scopes to whom Access admits. */
  private apiVars(): Record<string, string> {
    if (this.provider !== "access") return {};
    return { ACCESS_TEAM_DOMAIN: URLS.issuer, ACCESS_AUD: ACCESS_AUD.api, DEFAULT_SCOPES: "todo_api:read todo_api:write" };
  }

  /** The bridge's client credentials at the identity provider, under the env names its bridge.yaml gives them. */
  private bridgeSecrets(): Record<string, string> {
    if (this.provider === "pingone") return { [PINGONE_CLIENT_ENV.id]: this.bridgeClient.id, [PINGONE_CLIENT_ENV.secret]: this.bridgeClient.secret };
    if (this.provider === "pingfederate") return { PF_CLIENT_ID: this.bridgeClient.id, PF_CLIENT_SECRET: this.bridgeClient.secret };
    return {};
  }

  /** `.cache/start/<provider>/.dev.vars` with the bridge's secrets; the `wrangler dev` arguments that load it. */
  private async writeBridgeSecrets(): Promise<string[]> {
    const secrets = this.bridgeSecrets();
    if (Object.keys(secrets).length === 0) return [];
    const path = join(modeDir(this.options.root, this.provider), ".dev.vars");
    await writeDevVars(path, secrets);
    return ["--env-file", path];
  }

  /** `wrangler dev` for one worker; `stateName`: its own folder under npm start's storage. */
  private wrangler(args: string[], inspectorPort: number, stateName: string) {
    return {
      command: process.execPath,
      args: [
        join(this.options.root, "node_modules/.bin/wrangler"),
        "dev",
        ...args,
        "--ip",
        HOST,
        "--inspector-port",
        String(inspectorPort),
        // npm start's storage (todos, OAuth grants) in its own folder, which no test uses: not next to each config.
        // One folder per worker: Miniflare keeps some stores in files named alike for every worker (the Cache API's
        // default namespace), and two workerd processes opening one SQLite file at start failed with SQLITE_BUSY
        // ("database is locked") on a loaded machine, killing the bridge before it answered.
        "--persist-to",
        join(this.options.root, START_DIR, "state", stateName),
        "--show-interactive-dev-session=false",
      ],
      cwd: this.options.root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    };
  }

  /** Stops the children (process groups) and the identity provider; safe to call at any time, more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.children.map((child) => child.stop()));
      await Promise.all(this.services.map((service) => service.close().catch(() => undefined)));
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

  private async writeModeBridge(provider: Exclude<Provider, "pingfederate">): Promise<string> {
    const { log, root } = this.options;
    try {
      const path = await writeModeBridge(root, provider, URLS);
      log(`[start] generated the ${provider}-mode bridge into ${relative(root, dirname(path))}/ (from bridge.yaml)`);
      return relative(root, path);
    } catch (error) {
      throw new StartError(`could not generate the ${provider}-mode bridge from bridge.yaml: ${error instanceof Error ? error.message : String(error)}`);
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

/** `--var NAME:value` arguments of `wrangler dev` (it splits at the first colon only), for values that are not secret. */
function vars(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return `failed (${cause.code})`;
  return `failed (${error instanceof Error ? error.message : String(error)})`;
}
