// Vite build and dev server: pages are code-split; /cubejs-api is proxied to the API in dev.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { loadDashboardDevConfig } from './dev-config.ts';

/** The flag SVGs shipped with country-flag-icons, wherever npm hoisted the package. */
const FLAGS_DIR = join(dirname(createRequire(import.meta.url).resolve('country-flag-icons/package.json')), '3x2');

export default defineConfig(() => {
  const config = loadDashboardDevConfig(process.env);
  return {
    plugins: [react()],
    base: '/',
    // @cubejs-client/react pins its own copy of core: bundle one.
    resolve: { dedupe: ['@cubejs-client/core', 'react', 'react-dom'], alias: { '@flags': FLAGS_DIR } },
    build: {
      outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 700,
      // Each flag stays a file of its own, fetched only when a table shows that country; inlined
      // as data URLs all 260 would land in the JavaScript.
      assetsInlineLimit: (file: string) => (file.startsWith(FLAGS_DIR) ? false : undefined),
    },
    server: {
      port: config.port,
      proxy: { '/cubejs-api': { target: config.apiTarget, changeOrigin: true } },
    },
  };
});
