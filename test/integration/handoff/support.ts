export { findFreePort, waitServing } from '../cluster/support.js';
export { freshConnectionsEvery10Ms } from '../../../bench/lib/fresh-load.js';
