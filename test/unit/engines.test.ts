/**
 * Why `.npmrc` may keep npm's engine warnings out of `npm ci`: every package npm installs here runs on the Node the
 * `node` dev dependency brings (npm scripts and npx put node_modules/.bin first on PATH), so a warning that a package
 * needs a newer Node than the one running npm does not apply. This holds only while the bundled Node satisfies every
 * package's `engines.node`: when a dependency starts asking for more, this fails, and the `node` dev dependency must be
 * raised (or the warnings let through again).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

const lock = JSON.parse(readFileSync(resolve(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };
const bundledNode = lock.packages["node_modules/node"]?.version;

describe("the Node the project brings", () => {
  it("is what runs the tests (npm scripts use node_modules/.bin/node)", () => {
    expect(bundledNode).toBeDefined();
    expect(process.version).toBe(`v${bundledNode}`);
  });

  // npm warns only for packages that are not optional (an optional one it cannot run is left out instead).
  it("satisfies engines.node of every package npm would warn about (package-lock.json, optional ones aside)", () => {
    const unmet = Object.entries(lock.packages)
      .filter(([path, pkg]) => path !== "" && !pkg.optional && !Array.isArray(pkg.engines) && pkg.engines?.node !== undefined)
      .filter(([, pkg]) => !semver.satisfies(bundledNode!, (pkg.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, pkg]) => `${path}@${pkg.version}: node ${(pkg.engines as { node: string }).node}`);
    expect(unmet).toEqual([]);
  });

  it(".npmrc keeps npm's log to errors, as its comment explains", () => {
    expect(readFileSync(resolve(ROOT, ".npmrc"), "utf8")).toMatch(/^loglevel=error$/m);
  });
});
