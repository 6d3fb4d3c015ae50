import { defineConfig } from "vitest/config";

// Node-side suites. The Worker suites (workerd, @cloudflare/vitest-plugin) join as their own project when the
// runtime lands.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "generator",
          include: ["test/generator/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "corpus",
          include: ["test/corpus/**/*.test.ts"],
          environment: "node",
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
