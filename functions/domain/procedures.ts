/** The procedures of the bundle: defined in `procedures/` (one entry per procedure); this path is kept for importers. */
export * from './procedures/index.js';
