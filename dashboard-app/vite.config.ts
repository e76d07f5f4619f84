// Vite build and dev server: pages are code-split; /cubejs-api is proxied to the API in dev.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { loadDashboardDevConfig } from './dev-config.ts';

export default defineConfig(() => {
  const config = loadDashboardDevConfig(process.env);
  return {
    plugins: [react()],
    base: '/',
    // @cubejs-client/react pins its own copy of core: bundle one.
    resolve: { dedupe: ['@cubejs-client/core', 'react', 'react-dom'] },
    build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 700 },
    server: {
      port: config.port,
      proxy: { '/cubejs-api': { target: config.apiTarget, changeOrigin: true } },
    },
  };
});
