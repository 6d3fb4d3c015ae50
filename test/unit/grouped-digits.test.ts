/** groupedDigits writes the summary's numbers as toLocaleString("en-US") does, without ICU. */
import { describe, expect, it } from "vitest";
import { groupedDigits } from "../../scripts/generator/report.ts";

describe("groupedDigits", () => {
  it("matches toLocaleString('en-US') at every digit count and group edge", () => {
    const counts = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10_000, 25_000, 99_999, 100_000, 888_041, 999_999, 1_000_000, 3_290_073, 12_345_678, 123_456_789, 1_000_000_000, Number.MAX_SAFE_INTEGER];
    for (let n = 1; n < Number.MAX_SAFE_INTEGER / 10; n *= 10) counts.push(n - 1, n, n + 1);
    for (const count of counts) expect(groupedDigits(count), String(count)).toBe(count.toLocaleString("en-US"));
  });

  it("leaves anything but a non-negative safe integer to toLocaleString", () => {
    for (const count of [-1, -1234, -0, 1.5, 1234.5678, 2 ** 60, Infinity, Number.NaN]) {
      expect(groupedDigits(count), String(count)).toBe(count.toLocaleString("en-US"));
    }
  });
});
