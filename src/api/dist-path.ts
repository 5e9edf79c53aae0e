// Kept for the api's importers; the function lives in core so config can find built runtime files too.
export { distPath } from '../core/dist-path.js';
