import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The viewer imports src/trace and src/check directly (STYLE.md): allow Vite to read the repo root.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  // Into the package's dist/, beside the compiled library: `syncsim view` serves it as shipped.
  build: { outDir: '../dist/viewer', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  // The check worker (src/loading/check-worker.ts) is an ES module, as the page creates it.
  worker: { format: 'es' },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  logLevel: 'warn',
});
