// Vite for the web app: `npm run web` (dev server) and `npm run web:build` (static files in
// web/dist, relative paths so they can be hosted under any HTTPS path).
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    host: "127.0.0.1",
    // the simulator bridge of `npm start -- --web` (port 8080), so "Simulator demo" works in dev too
    proxy: { "/ws": { target: "ws://127.0.0.1:8080", ws: true } },
  },
});
