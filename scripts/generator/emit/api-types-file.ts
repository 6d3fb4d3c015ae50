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
 * api.ts to write: the body's UTF-8, after the header, when the types have it (posted so by the worker on two cores,
 * encoded once on rendering here on one), so that staging never flattens nor encodes the body's text again; else the
 * whole file's text (a cached api.ts).
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

/**
 * The types with their body's UTF-8 beside it (ApiTypes.utf8): as they are when they have it (the direct emitter's).
 * TextEncoder, not Buffer.from: a short body's Buffer would sit in Node's shared pool, whose whole ArrayBuffer a
 * transfer to another thread would take away (api-types-protocol.ts).
 */
export function withUtf8(types: ApiTypes): ApiTypes & { utf8: Uint8Array } {
  return types.utf8 !== undefined ? (types as ApiTypes & { utf8: Uint8Array }) : { ...types, utf8: new TextEncoder().encode(types.body) };
}

/**
 * Types known by their body's UTF-8 (the direct emitter's, or as the worker posted them): the text is decoded from
 * those bytes only if something reads `body` (the tests; `npm start` writes `content`).
 */
export function typesFromUtf8(utf8: Uint8Array, known: Pick<ApiTypes, "length" | "notice"> = {}): ApiTypes {
  let body: string | undefined;
  return {
    ...known,
    utf8,
    get body() {
      return (body ??= Buffer.from(utf8.buffer, utf8.byteOffset, utf8.length).toString("utf8"));
    },
  };
}
