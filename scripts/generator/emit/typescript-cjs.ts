/** The TypeScript compiler for openapi-typescript, by `require` (see openapi-typescript-load.ts): `?require=<file URL>`. */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const target = new URL(import.meta.url).searchParams.get("require")!;
export default createRequire(import.meta.url)(fileURLToPath(target)) as typeof import("typescript");
