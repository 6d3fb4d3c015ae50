/**
 * api.ts as written: the header, then the body (api-types.ts). Apart from api-types.ts so that writing it loads none
 * of the renderer's modules: a thread that has the body from the worker or the cache never renders (api-types-job.ts).
 */
import type { GeneratedFile } from "../index.ts";
import type { ApiTypes } from "./api-types.ts";
import { tsHeader } from "./header.ts";

/** The whole file. */
export function apiTypesFile(types: ApiTypes, specPath: string): string {
  return `${tsHeader(`${specPath} by openapi-typescript`)}\n${types.body}`;
}

/**
 * api.ts to write: the body's UTF-8 as the worker posted it, after the header, when it came so (two cores), so that
 * this thread never holds nor encodes the body's text; else the whole file's text.
 */
export function apiTypesGeneratedFile(types: ApiTypes, specPath: string): GeneratedFile {
  if (types.utf8 === undefined) return { name: "api.ts", content: apiTypesFile(types, specPath) };
  const head = `${tsHeader(`${specPath} by openapi-typescript`)}\n`;
  return {
    name: "api.ts",
    parts: [head, { parts: undefined, kept: true, bytes: [types.utf8] }],
    get content() {
      return head + types.body;
    },
  };
}
