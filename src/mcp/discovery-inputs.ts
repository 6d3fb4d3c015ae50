/**
 * The zod schemas the Worker checks the discovery tools' arguments with (discovery.ts). Apart from discovery-tools.ts,
 * which the generator loads on every run for the tools' listing: built there at load, these three schemas were the
 * only zod schemas a generator run with a valid bridge.yaml made, ~4 ms of CPU (zod's first use, in unoptimised code).
 * INPUT_SCHEMAS (discovery-tools.ts) is their JSON Schema, held to them by test/unit/discovery/discovery-tools.test.ts.
 */
import { z } from "zod";
import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX } from "./discovery-tools.ts";

export const searchInput = z.strictObject({
  query: z.string().trim().min(1).max(500).describe('What the user wants to do, in a few words, e.g. "close an issue".'),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional().describe(`Most operations to return (default ${SEARCH_LIMIT_DEFAULT}).`),
});

export const describeInput = z.strictObject({
  name: z.string().min(1).max(128).describe("An operation name from the search."),
});

export const callInput = z.strictObject({
  name: z.string().min(1).max(128).describe("An operation name from the search."),
  arguments: z.record(z.string(), z.unknown()).optional().describe("The operation's arguments, as its input schema says."),
});
