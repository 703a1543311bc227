import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// Tauri dev: the Rust side loads http://localhost:1420 (devUrl) and ui/dist (frontendDist).
const host = process.env.TAURI_DEV_HOST;

/**
 * `locales/xx.json?meta` is only the file's `_meta` (the language's name,
 * direction and digits): the first script lists every language without
 * carrying their messages, which load on demand (src/lib/i18n/catalogue.ts).
 */
function localeMeta(): Plugin {
  return {
    name: 'cashdesk:locale-meta',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]locales[\\/][^\\/]+\.json\?meta$/ },
      handler(code) {
        const meta = (JSON.parse(code) as { _meta?: unknown })._meta ?? {};
        return { code: `export default ${JSON.stringify(meta)};`, moduleType: 'js', map: null };
      },
    },
  };
}

export default defineConfig({
  plugins: [localeMeta(), svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    watch: { ignored: ['**/src-tauri/**', '**/crates/**', '**/target/**'] },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Code the first screen runs anyway (svelte, i18n, the backend,
          // shared helpers) is one chunk, whichever lazy view also uses it,
          // not a dozen small files fetched before anything shows.
          groups: [{ name: 'index', tags: ['$initial'] }],
        },
      },
    },
  },
  // Svelte 5 component tests need the browser build of svelte under jsdom.
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/tests/setup.ts'],
  },
});
