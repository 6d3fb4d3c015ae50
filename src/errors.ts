/**
 * The bridge's own failures, in the style of jose's errors (`ERR_JWT_EXPIRED`): one base class, a subclass per
 * failure with a stable `code`, and the operator's reason as the message plus structured `detail`. Both go to the log
 * hook (src/log.ts), never to a caller: what a caller sees is chosen per failure, generic, and never names the check
 * that failed or carries a token. Anything thrown that is not a BridgeError is a bug (ERR_INTERNAL): HTTP 500, with
 * its stack in the log.
 */
export abstract class BridgeError extends Error {
  abstract readonly code: `ERR_${string}`;
  /** For the log: a claim name, an OAuth error code, an endpoint, a status. Never a token or a secret. */
  readonly detail: Readonly<Record<string, string | number>>;

  constructor(reason: string, detail: Readonly<Record<string, string | number>> = {}) {
    super(reason);
    this.detail = detail;
  }
}

/** The code logged for anything thrown that is not a BridgeError: a programming error. */
export const INTERNAL_ERROR_CODE = "ERR_INTERNAL";
