/** `generated/config.ts`: the normalised bridge.yaml the Worker reads. Secrets appear only as env var names. */
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import type { Model } from "../model/types.ts";
import { tsHeader } from "./header.ts";
import { printLiteral } from "./literal.ts";

export class BaseUrlMissing extends Error {}

export function runtimeConfig(model: Model): RuntimeConfig {
  const { api, identity, upstream } = model.config;
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
  return { api: runtimeApi, identity, upstream };
}

function absoluteUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

export function emitConfig(model: Model, typesImport: string): string {
  return [
    tsHeader("bridge.yaml"),
    `import type { RuntimeConfig } from ${JSON.stringify(typesImport)};`,
    "",
    `export const config: RuntimeConfig = ${printLiteral(runtimeConfig(model))};`,
    "",
  ].join("\n");
}
