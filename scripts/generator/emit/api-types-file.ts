/**
 * api.ts as written: the header, then the body (api-types.ts). Apart from api-types.ts so that writing it loads none
 * of the renderer's modules: a thread that has the body from the worker or the cache never renders (api-types-job.ts).
 */
import type { ApiTypes } from "./api-types.ts";
import { tsHeader } from "./header.ts";

/** The whole file. */
export function apiTypesFile(types: ApiTypes, specPath: string): string {
  return `${tsHeader(`${specPath} by openapi-typescript`)}\n${types.body}`;
}
