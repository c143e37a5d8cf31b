export { syntheticSource, syntheticSource as default } from './synthetic-source.js';
export { syntheticConfig, type SyntheticConfig } from './config.js';
