export { startViewServer, type ViewServer } from './static-server.ts';
export { ensureViewerBuilt, viewerDist, viewerIsStale } from './viewer-files.ts';
