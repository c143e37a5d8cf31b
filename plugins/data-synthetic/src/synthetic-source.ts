import { generateBars, US_EQUITY_SESSION } from '@trading-orchestrator/market-data';
import { DataUnavailableError, defineDataProvider, nearestNames, type Bar, type HistoricalBarsRequest } from '@trading-orchestrator/plugin-api';
import { syntheticConfig } from './config.js';

const PAGE = 5_000;

/** FNV-1a: a stable per-symbol offset to the seed, so adding a symbol does not change the others' prices. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A seeded synthetic market: geometric random walks with drift, volatility, optional regime switches, gaps and a
 * trading session. Each symbol's path starts at `origin` and depends only on the seed and the symbol, so any
 * date range is a slice of the same path. Needs no network.
 */
export const syntheticSource = defineDataProvider({
  configSchema: syntheticConfig,
  init(ctx) {
    const config = ctx.config;
    const origin = Date.parse(`${config.origin}T00:00:00Z`);
    const specs = new Map(config.symbols.map((s) => [s.symbol, s]));

    async function* historicalBars(request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
      const spec = specs.get(request.symbol);
      if (spec === undefined) {
        const near = nearestNames(request.symbol, [...specs.keys()]);
        throw new DataUnavailableError(`synthetic source has no symbol "${request.symbol}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`, {
          pluginId: ctx.pluginId,
          path: 'symbols',
          hint: `use one of ${[...specs.keys()].join(', ')}, or add it to the source's "symbols"`,
        });
      }
      const volatility = spec.volatility ?? config.volatility;
      const drift = spec.drift ?? config.drift;
      const bars = generateBars({
        symbol: spec.symbol,
        timeframe: request.timeframe,
        count: Number.MAX_SAFE_INTEGER,
        seed: (config.seed + hash(spec.symbol)) | 0,
        start: origin,
        initialPrice: spec.initialPrice ?? 100,
        drift,
        volatility,
        ...(config.regimes ? { regimes: [{ drift, volatility, meanBars: 500 }, { drift: -drift, volatility: volatility * 2, meanBars: 150 }] } : {}),
        gapProbability: config.gapProbability,
        ...(config.session === 'us-equities' ? { session: US_EQUITY_SESSION } : {}),
      });
      let page: Bar[] = [];
      for (const bar of bars) {
        if (bar.time >= request.end) break;
        if (request.signal?.aborted === true) return;
        if (bar.time < request.start) continue;
        page.push(bar);
        if (page.length === PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    }

    return {
      historicalBars,
      symbols: () => [...specs.keys()],
      health: () => ({ status: 'healthy', metrics: { symbols: specs.size } }),
    };
  },
});

export default syntheticSource;
