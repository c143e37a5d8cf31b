export { varRiskManager, varRiskManager as default } from './var-risk-manager.js';
export { varConfig, type VarConfig } from './config.js';
export { RiskModel, type PortfolioRisk, type RiskEstimate } from './risk-model.js';
export { alignReturns, PriceHistory } from './return-history.js';
export { covarianceOf, correlationOf, herfindahl, historicalTailRisk, parametricRisk, scaleToHorizon, type ParametricRisk, type TailRisk } from './math/var-math.js';
export { normalDensity, normalQuantile } from './math/normal.js';
