/**
 * `generated/config.ts`: what the Worker reads of bridge.yaml, resolved (src/config/runtime.ts): the API's base URL
 * and limits, and the chosen auth adapter's options (auth-config.ts). Secrets appear only as env var names.
 */
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import type { Model } from "../model/types.ts";
import { resolveAuth } from "./auth-config.ts";
import { tsHeader } from "./header.ts";
import { printLiteral } from "./literal.ts";

export class BaseUrlMissing extends Error {}

export function runtimeConfig(model: Model): RuntimeConfig {
  const { api } = model.config;
  const baseUrl = api.baseUrl ?? absoluteUrl(model.api.serverUrl);
  if (!baseUrl && !api.baseUrlEnv) {
    throw new BaseUrlMissing(
      `api.baseUrl is required: the spec has no absolute server URL${model.api.serverUrl ? ` (it says "${model.api.serverUrl}")` : ""}`,
    );
  }
  const runtimeApi: { -readonly [K in keyof RuntimeConfig["api"]]: RuntimeConfig["api"][K] } = {
    name: api.name,
    title: model.api.title,
    version: model.api.version,
    timeoutMs: api.timeoutMs,
    maxResponseBytes: api.maxResponseBytes,
  };
  if (baseUrl) runtimeApi.baseUrl = baseUrl.replace(/\/+$/, "");
  if (api.baseUrlEnv) runtimeApi.baseUrlEnv = api.baseUrlEnv;
  if (api.binding) runtimeApi.binding = api.binding;
  return { api: runtimeApi, auth: resolveAuth(model.config, model.api.title || api.name) };
}

function absoluteUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

export function emitConfig(model: Model, typesImport: string): string {
  return emitRuntimeConfig(runtimeConfig(model), typesImport);
}

/** The file for a resolved config (a test stack may adjust the generator's before writing it). */
export function emitRuntimeConfig(config: RuntimeConfig, typesImport: string): string {
  return [
    tsHeader("bridge.yaml"),
    `import type { RuntimeConfig } from ${JSON.stringify(typesImport)};`,
    "",
    `export const config: RuntimeConfig = ${printLiteral(config)};`,
    "",
  ].join("\n");
}
