import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The screens are written in React and run on Preact (preact/compat): the preset aliases react,
// react-dom (with react-dom/client) and react/jsx-runtime to it, compiles JSX for Preact and gives
// the dev server Prefresh (hot reload). react-dom was ~63 KB of the ~81 KB gzip a phone downloaded
// before the sign-in screen showed; Preact is ~5 KB (docs/clients.md, "Preact").
// Everything the page needs is bundled into dist/: the Content-Security-Policy the server sends
// allows scripts, styles and fonts from 'self' only, and connections to 'self' and the API.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URIs: every asset is a file under 'self'
    sourcemap: false,
    // The browsers the app supports all know <link rel="modulepreload">: no polyfill in the first bundle.
    modulePreload: { polyfill: false },
  },
});
