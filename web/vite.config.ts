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
  server: {
    // `npm run dev`: Vite on :5173, the API and SignalR through to the local host on :7071.
    proxy: {
      "/api": { target: "http://localhost:7071", changeOrigin: false },
      "/client": { target: "http://localhost:7071", ws: true, changeOrigin: false },
    },
  },
});
