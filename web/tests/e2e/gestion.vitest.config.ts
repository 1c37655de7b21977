// The gestionnaire's browser test has its own Vitest configuration: it needs the data that
// tests/e2e/test_portail_gestion.py prepares (GESTION_DONNEES), so the e2e project that
// tests/e2e/test_portail.py runs (tests/e2e/**/*.test.ts) must not pick it up.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "e2e-gestion",
    environment: "node",
    include: ["tests/e2e/gestion.parcours.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
