/**
 * Failures of upstream calls, with stable codes (src/errors.ts). Their messages are what the model is shown and what
 * the log keeps: they name the method and the URL path only, never the query, a header or a body (a credential or a
 * configured key may be in them).
 */
import { BridgeError } from "../errors.ts";

/** The API gave no response: an attempt ran out of time, the request could not be delivered or not even built. */
export abstract class UpstreamError extends BridgeError {
  readonly attempts: number;
  readonly method: string;
  /** The URL path (no query: a configured query value may be a key). */
  readonly path: string;

  constructor(method: string, path: string, problem: string, attempts: number) {
    super(`${method} ${path} ${problem} (${attempts} ${attempts === 1 ? "attempt" : "attempts"})`, { method, path, attempts });
    this.attempts = attempts;
    this.method = method;
    this.path = path;
  }
}

/** The attempt's time limit ran out (sending, waiting, or reading the body). Not retried: the API may have acted. */
export class UpstreamTimeout extends UpstreamError {
  override readonly name = "UpstreamTimeout";
  readonly code = "ERR_UPSTREAM_TIMEOUT";
  constructor(method: string, path: string, timeoutMs: number, attempts: number) {
    super(method, path, `timed out after ${timeoutMs} ms`, attempts);
  }
}

/** The request failed on the way (connection refused, reset, DNS); `systemCode` such as ECONNREFUSED when known. */
export class UpstreamUnreachable extends UpstreamError {
  override readonly name = "UpstreamUnreachable";
  readonly code = "ERR_UPSTREAM_NETWORK";
  constructor(method: string, path: string, systemCode: string | undefined, attempts: number) {
    super(method, path, `failed with a network error${systemCode ? ` (${systemCode})` : ""}`, attempts);
  }
}

/** No Request could be built from the plan and credentials (its TypeError may quote a header value: not kept). */
export class UpstreamRequestInvalid extends UpstreamError {
  override readonly name = "UpstreamRequestInvalid";
  readonly code = "ERR_UPSTREAM_REQUEST_INVALID";
  constructor(method: string, path: string) {
    super(method, path, "could not be sent: the request was rejected before sending (a header value, the URL or the body is invalid)", 1);
  }
}

/**
 * This deployment cannot reach the API at all, as configured: every tool call answers the message (for the operator,
 * and no secret in it), before anything is sent; listing tools is unaffected.
 */
export abstract class UpstreamUnavailable extends BridgeError {}

/** bridge.yaml's `api.binding` names a service binding this Worker lacks. */
export class UpstreamBindingMissing extends UpstreamUnavailable {
  override readonly name = "UpstreamBindingMissing";
  readonly code = "ERR_UPSTREAM_BINDING_MISSING";
  constructor(binding: string) {
    super(
      `The API cannot be reached: this Worker has no service binding named ${binding} (bridge.yaml api.binding). ` +
        `Its operator needs to add { "binding": "${binding}", "service": "<the API's Worker>" } to "services" in wrangler.jsonc.`,
      { binding },
    );
  }
}

/** Only `api.baseUrlEnv` gives the API's URL, and this deployment does not set that variable. */
export class ApiBaseUrlMissing extends UpstreamUnavailable {
  override readonly name = "ApiBaseUrlMissing";
  readonly code = "ERR_API_BASE_URL_MISSING";
  constructor(variable: string) {
    super(`The API cannot be reached: its base URL is not set. The bridge's operator needs to define the variable ${variable}.`, { variable });
  }
}
