export { maCrossover, maCrossover as default } from './ma-crossover.js';
export { maCrossoverConfig, type MaCrossoverConfig } from './config.js';
