export { riskGuards, riskGuards as default } from './risk-guards.js';
export { guardsConfig, type GuardsConfig } from './config.js';
export { CircuitBreaker } from './circuit-breaker.js';
