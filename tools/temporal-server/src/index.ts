// Public API of the in-memory Temporal server.
export { startTemporalServer, type RunningServer, type ServerOptions } from './server.js';
