export { Ledger, type FillEffect, type StrategyAccount } from './portfolio/ledger.js';
export { fromCents, toCents, type Cents } from './portfolio/money.js';
