/**
 * The slice of oidc-provider 9.x (which ships no types) that the local identity provider uses. Loosely typed on
 * purpose: the library's own runtime checks are the source of truth; this only keeps `tsc --strict` honest about
 * what we call.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type KoaContextWithOIDC = {
    oidc: {
      client: OidcClient;
      params: Record<string, string | string[] | undefined>;
      route: string;
      provider: Provider;
    };
    body: unknown;
  };

  /** The Koa context as seen by `provider.use` middleware. */
  export type KoaContext = {
    path: string;
    method: string;
    status: number;
    body: unknown;
    query: Record<string, string | string[] | undefined>;
  };

  export type OidcClient = {
    clientId: string;
    clientAuthMethod: string;
    grantTypeAllowed(grantType: string): boolean;
    metadata(): Record<string, unknown>;
    [key: string]: unknown;
  };

  export type InteractionDetails = {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId: string };
    grantId?: string;
  };

  export type GrantInstance = {
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    rejectResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  };

  export type AccessTokenInstance = {
    resourceServer: unknown;
    expiration: number;
    save(): Promise<string>;
  };

  export class ResourceServerClass {
    constructor(identifier: string, data: Record<string, unknown>);
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    registerGrantType(
      name: string,
      handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      params?: string[],
      dupes?: string[],
    ): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    AccessToken: new (init: Record<string, unknown>) => AccessTokenInstance;
    ResourceServer: typeof ResourceServerClass;
    Client: { find(id: string): Promise<OidcClient | undefined> };
  }

  type OidcErrorClass = new (description?: string, detail?: string) => Error;
  export const errors: {
    InvalidGrant: OidcErrorClass;
    InvalidTarget: OidcErrorClass;
    InvalidScope: OidcErrorClass;
    InvalidRequest: OidcErrorClass;
    UnauthorizedClient: OidcErrorClass;
  };

  export default Provider;
}
