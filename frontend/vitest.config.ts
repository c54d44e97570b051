import { defineConfig } from "vitest/config";

// The tests talk to the real API that ./test.sh starts (NEXT_PUBLIC_API_URL); they share its
// database, so every test makes its own data. One file at a time: the client and stores are singletons.
export default defineConfig({
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
  },
});
