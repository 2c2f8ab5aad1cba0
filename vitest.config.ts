import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests share one Chromium and a server each; keep files in parallel but bounded for 2 cores.
    maxWorkers: 2,
  },
});
