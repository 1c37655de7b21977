/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Two Vitest projects: `unit` (jsdom, no network) and `e2e` (Node, drives Debian's Chromium
// against a running local platform; started by tests/e2e/test_portail.py).
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  // The portal reads the enrolment service's base of codes postaux (src/lib/communes.ts).
  server: { host: "127.0.0.1", fs: { allow: [".", "../services/enrolment/donnees"] } },
  preview: { host: "127.0.0.1" },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "jsdom",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
