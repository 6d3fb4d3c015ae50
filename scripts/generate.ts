/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose]
 *
 * The CLI is generate-main.ts; this entry only turns Node's compile cache on first, so that it covers the modules
 * the CLI loads (static imports are all loaded before a module's first line runs).
 */
import { useCompileCache } from "./generator/caches.ts";

useCompileCache();
await import("./generate-main.ts");
