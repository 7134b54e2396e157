import { defineConfig } from "vite";

// The local host serves web/dist at '/', the API at /api on the same origin.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // No polyfill script: the page's CSP allows only scripts from 'self', and every target browser has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
