import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Everything the page needs is bundled into dist/: the Content-Security-Policy the server sends
// allows scripts, styles and fonts from 'self' only, and connections to 'self' and the API.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URIs: every asset is a file under 'self'
    sourcemap: false,
    // The browsers the app supports all know <link rel="modulepreload">: no polyfill in the first bundle.
    modulePreload: { polyfill: false },
  },
});
