import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// In development the SPA talks to `ocop serve` on :8080 through this proxy.
const backend = process.env.OCOP_BACKEND ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": backend,
      "/api-docs": backend,
      "/swagger-ui": backend,
      "/healthz": backend,
      "/readyz": backend,
    },
  },
  build: {
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
