/**
 * The CLI loads zod without its locales (scripts/generator/zod-locales.mjs), in a real Node process: zod's English
 * messages, which bridge.yaml's errors quote, are unchanged, `z.locales` is empty, and the hook is gone afterwards.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const HOOK = new URL("../../scripts/generator/zod-locales.mjs", import.meta.url).href;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Seen {
  locales: string[];
  coreLocales: string[];
  message: string | undefined;
  afterwards: number;
}

/** In a fresh process: zod imported through `withoutZodLocales` (or directly), then zod's locales imported again. */
async function loadZod(leaveOut: boolean): Promise<Seen> {
  const script = `
    import { withoutZodLocales } from ${JSON.stringify(HOOK)};
    const load = () => import("zod");
    const { z } = await (${leaveOut} ? withoutZodLocales(load) : load());
    const message = z.object({ name: z.string() }).safeParse({ name: 1 }).error?.issues[0]?.message;
    // With the hook removed, the locales module itself still loads for whoever asks for it.
    const afterwards = Object.keys(await import("zod/locales")).length;
    console.log(JSON.stringify({ locales: Object.keys(z.locales), coreLocales: Object.keys(z.core.locales), message, afterwards }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT });
  return JSON.parse(stdout) as Seen;
}

describe("withoutZodLocales", () => {
  it("loads zod without its locales, its English messages unchanged", async () => {
    const [plain, without] = await Promise.all([loadZod(false), loadZod(true)]);
    expect(plain.locales.length).toBeGreaterThan(40);
    expect(without.locales).toEqual([]);
    expect(without.coreLocales).toEqual([]);
    expect(without.message).toBe(plain.message);
    expect(without.message).toBe("Invalid input: expected string, received number");
    expect(without.afterwards).toBe(plain.afterwards);
  });
});
