/**
 * `generated/api.ts`: TypeScript types of the whole API, by openapi-typescript (paths, operations, components), for
 * code and reviewers that want the API's own types beside the tools.
 */
import openapiTS, { astToString } from "openapi-typescript";
import type { SpecDocument } from "../spec/load.ts";
import { tsHeader } from "./header.ts";

export async function emitApiTypes(document: SpecDocument, specPath: string): Promise<string> {
  // openapi-typescript reads the document it is given; a copy keeps ours untouched.
  const ast = await openapiTS(structuredClone(document) as never, { silent: true });
  return `${tsHeader(`${specPath} by openapi-typescript`)}\n${astToString(ast)}`;
}
