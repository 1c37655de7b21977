// The story test has its own Vitest configuration: it needs what
// tests/e2e/test_portail_parcours.py prepares (PARCOURS_DONNEES), so the e2e project that
// tests/e2e/test_portail.py runs (tests/e2e/**/*.test.ts) must not pick it up.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "e2e-parcours",
    environment: "node",
    include: ["tests/e2e/parcours.histoire.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
