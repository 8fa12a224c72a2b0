import { defineConfig } from 'vite';

// The landbank server serves the built page at `/` and its files under `/app/`.
const api = process.env.LANDBANK_API || 'http://127.0.0.1:8088';
const proxied = [
  '/collections',
  '/tiles',
  '/styles',
  '/stats',
  '/availability',
  '/allocation-plans',
  '/reservations',
  '/allocations',
  '/parcels',
  '/reports',
  '/app/config.json',
];

export default defineConfig({
  base: '/app/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: true }])),
  },
});
