/** rememberVerifiedTokens: a verified JWT is accepted again without re-verifying, only while that is safe. */
import type { JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { TokenSignatureInvalid } from "../../../src/auth/errors.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { rememberVerifiedTokens } from "../../../src/auth/verified-tokens.ts";

function setup(options: { maxAgeMs?: number; maxEntries?: number } = {}) {
  const clock = new ManualClock(1_800_000_000_000);
  const calls: string[] = [];
  let refuse = false;
  const validate = rememberVerifiedTokens(
    async (token: string): Promise<JWTPayload> => {
      calls.push(token);
      if (refuse) throw new TokenSignatureInvalid("invalid token");
      // The token names its lifetime in seconds from the clock's start: "t-<exp offset>".
      return { sub: "demo", exp: clock.now() / 1000 + Number(token.split("-")[1]) };
    },
    { clock, ...options },
  );
  return { clock, calls, validate: (token: string) => validate(token, {}), refuse: (value: boolean) => (refuse = value) };
}

describe("rememberVerifiedTokens", () => {
  it("verifies a token once and then answers from memory with the same claims", async () => {
    const { calls, validate } = setup();
    const first = await validate("a-3600");
    expect(await validate("a-3600")).toBe(first);
    expect(await validate("a-3600")).toBe(first);
    expect(calls).toEqual(["a-3600"]);
    await validate("b-3600");
    expect(calls).toEqual(["a-3600", "b-3600"]);
  });

  it("checks an expired token again in full (beyond the 30 s leeway), so the validator refuses it", async () => {
    const { clock, calls, validate, refuse } = setup();
    await validate("a-60");
    await clock.advance(60_000 + 29_000); // within exp + 30 s: still remembered
    await validate("a-60");
    expect(calls).toHaveLength(1);
    await clock.advance(2_000); // past exp + 30 s
    refuse(true);
    await expect(validate("a-60")).rejects.toBeInstanceOf(TokenSignatureInvalid);
    expect(calls).toHaveLength(2);
  });

  it("trusts a verification for maxAgeMs at most, then verifies again (a withdrawn key stops working)", async () => {
    const { clock, calls, validate, refuse } = setup({ maxAgeMs: 300_000 });
    await validate("a-3600");
    await clock.advance(299_000);
    await validate("a-3600");
    expect(calls).toHaveLength(1);
    await clock.advance(2_000);
    refuse(true);
    await expect(validate("a-3600")).rejects.toBeInstanceOf(TokenSignatureInvalid);
    expect(calls).toHaveLength(2);
  });

  it("never remembers a refusal, and keeps at most maxEntries tokens (the oldest go first)", async () => {
    const { calls, validate, refuse } = setup({ maxEntries: 2 });
    refuse(true);
    await expect(validate("x-3600")).rejects.toBeInstanceOf(TokenSignatureInvalid);
    await expect(validate("x-3600")).rejects.toBeInstanceOf(TokenSignatureInvalid);
    expect(calls).toEqual(["x-3600", "x-3600"]);
    refuse(false);
    calls.length = 0;
    await validate("a-3600");
    await validate("b-3600");
    await validate("c-3600"); // evicts a
    await validate("b-3600");
    await validate("c-3600");
    expect(calls).toEqual(["a-3600", "b-3600", "c-3600"]);
    await validate("a-3600");
    expect(calls).toEqual(["a-3600", "b-3600", "c-3600", "a-3600"]);
  });
});
