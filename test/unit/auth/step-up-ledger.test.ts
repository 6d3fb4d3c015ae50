/**
 * PingFederate's step-up memory (src/auth/step-up-ledger.ts): after a challenge for a scope, another token of the same
 * user and client issued at or after the challenged one that still lacks the scope is the refused answer (a tool
 * error, no sign-in loop); the same token again, an older one, another user or client, or a note past 10 minutes is
 * challenged. Two ledgers sharing one store stand for two isolates of the Worker sharing the named cache.
 */
import { describe, expect, it } from "vitest";
import { createStepUpLedger, STEP_UP_MEMORY_MS, type PresentedToken, type SharedNotes } from "../../../src/auth/step-up-ledger.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

const WRITE = ["todo_api:write"];
const token = (overrides: Partial<PresentedToken> = {}): PresentedToken => ({
  issuer: "https://sso.example.com",
  subject: "reader",
  clientId: "mcp-remote-1",
  issuedAt: 1_800_000_000,
  token: "eyJ.first.token",
  ...overrides,
});
const answer = (overrides: Partial<PresentedToken> = {}) => token({ issuedAt: 1_800_000_030, token: "eyJ.after.sign-in", ...overrides });

/** A shared store honouring its time to live on `clock` (the named cache's max-age). */
function sharedNotes(clock: ManualClock): SharedNotes & { size(): number } {
  const notes = new Map<string, { note: unknown; until: number }>();
  return {
    size: () => notes.size,
    get: async (key) => {
      const kept = notes.get(key);
      return kept && clock.now() < kept.until ? (kept.note as never) : undefined;
    },
    put: async (key, note, ttlMs) => void notes.set(key, { note: structuredClone(note), until: clock.now() + ttlMs }),
  };
}

describe("one isolate", () => {
  it("challenges first; a token issued after the challenged one that still lacks the scope is the refusal", async () => {
    const ledger = createStepUpLedger({ clock: new ManualClock() });
    expect(await ledger.challenge(token(), WRITE)).toBe(true);
    expect(await ledger.challenge(answer(), WRITE)).toBe(false);
    // And stays one while the note lasts.
    expect(await ledger.challenge(answer(), WRITE)).toBe(false);
  });

  it("issued in the same second as the challenged token, but another token: still the answer", async () => {
    const ledger = createStepUpLedger({ clock: new ManualClock() });
    await ledger.challenge(token(), WRITE);
    expect(await ledger.challenge(answer({ issuedAt: token().issuedAt }), WRITE)).toBe(false);
  });

  it("challenges again: the same token (no step-up yet), an older token, another user, another client, another scope", async () => {
    const ledger = createStepUpLedger({ clock: new ManualClock() });
    await ledger.challenge(token(), WRITE);
    expect(await ledger.challenge(token(), WRITE)).toBe(true);
    expect(await ledger.challenge(token({ issuedAt: 1_799_999_000, token: "eyJ.older" }), WRITE)).toBe(true);
    const fresh = createStepUpLedger({ clock: new ManualClock() });
    await fresh.challenge(token(), WRITE);
    expect(await fresh.challenge(answer({ subject: "demo" }), WRITE)).toBe(true);
    expect(await fresh.challenge(answer({ clientId: "inspector" }), WRITE)).toBe(true);
    expect(await fresh.challenge(answer(), ["todo_api:admin"])).toBe(true);
  });

  it("forgets a challenge after 10 minutes: the next token is challenged once more", async () => {
    const clock = new ManualClock();
    const ledger = createStepUpLedger({ clock });
    await ledger.challenge(token(), WRITE);
    await clock.advance(STEP_UP_MEMORY_MS);
    expect(await ledger.challenge(answer(), WRITE)).toBe(true);
  });

  it("a token without iat answers an earlier challenge when it is another token", async () => {
    const ledger = createStepUpLedger({ clock: new ManualClock() });
    await ledger.challenge(token(), WRITE);
    expect(await ledger.challenge(answer({ issuedAt: undefined }), WRITE)).toBe(false);
  });

  it("a call missing two scopes is refused when either was refused", async () => {
    const ledger = createStepUpLedger({ clock: new ManualClock() });
    await ledger.challenge(token(), WRITE);
    expect(await ledger.challenge(answer(), ["todo_api:read", "todo_api:write"])).toBe(false);
  });
});

describe("two isolates sharing the named cache", () => {
  it("the retry that lands on another isolate is refused too; without the shared store it would be challenged again", async () => {
    const clock = new ManualClock();
    const shared = sharedNotes(clock);
    const [first, second] = [createStepUpLedger({ clock, shared }), createStepUpLedger({ clock, shared })];
    expect(await first.challenge(token(), WRITE)).toBe(true);
    expect(await second.challenge(answer(), WRITE)).toBe(false);

    const alone = createStepUpLedger({ clock });
    expect(await alone.challenge(answer({ subject: "someone-else" }), WRITE)).toBe(true);
  });

  it("a shared store that fails leaves the isolate's memory to decide (no failed request)", async () => {
    const clock = new ManualClock();
    const broken: SharedNotes = { get: () => Promise.reject(new Error("cache down")), put: () => Promise.reject(new Error("cache down")) };
    const ledger = createStepUpLedger({ clock, shared: broken });
    expect(await ledger.challenge(token(), WRITE)).toBe(true);
    expect(await ledger.challenge(answer(), WRITE)).toBe(false);
  });

  it("keeps no token: the shared notes hold an iat and a fingerprint", async () => {
    const clock = new ManualClock();
    const puts: string[] = [];
    const shared: SharedNotes = { get: async () => undefined, put: async (key, note) => void puts.push(key, JSON.stringify(note)) };
    await createStepUpLedger({ clock, shared }).challenge(token(), WRITE);
    expect(puts.join(" ")).not.toContain(token().token);
    expect(puts.join(" ")).not.toContain("reader");
  });
});
