/**
 * The CLI, for `node scripts/generate.ts`: scripts/generate.mjs (what `npm run generate` runs, in JavaScript so that
 * Node loads no TypeScript stripper before the stripped-module cache is on; see there).
 */
import "./generate.mjs";
