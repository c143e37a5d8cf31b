import { collectBars, createTestContext, describeDataConformance } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { syntheticConfig, syntheticSource } from '../src/index.js';

const start = Date.UTC(2021, 0, 1);
const end = Date.UTC(2021, 2, 1);

describeDataConformance('data-synthetic', {
  definition: syntheticSource,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { seed: 7 },
  invalidConfigs: [
    { config: { origin: '2020-13-01' }, paths: ['origin'] },
    { config: { symbols: [] }, paths: ['symbols'] },
    { config: { session: 'asia', gapProbability: 2 }, paths: ['gapProbability', 'session'] },
  ],
  request: { symbol: 'ALPHA', timeframe: '1h', start, end },
  unknownSymbol: { request: { symbol: 'ALPHAA', timeframe: '1h', start, end }, message: 'synthetic source has no symbol "ALPHAA" (did you mean ALPHA?)' },
});

describe('synthetic source', () => {
  const bars = async (config: object, symbol: string, s = start, e = end) =>
    (await collectBars((await syntheticSource.init(createTestContext(syntheticConfig.parse(config)))).historicalBars({ symbol, timeframe: '1d', start: s, end: e }))).bars;

  it('a symbol’s prices depend only on the seed and the symbol', async () => {
    const alone = await bars({ symbols: [{ symbol: 'ALPHA' }] }, 'ALPHA');
    const withOthers = await bars({ symbols: [{ symbol: 'ZETA' }, { symbol: 'ALPHA' }] }, 'ALPHA');
    expect(withOthers).toEqual(alone);
    expect(await bars({ seed: 2, symbols: [{ symbol: 'ALPHA' }] }, 'ALPHA')).not.toEqual(alone);
  });

  it('respects the session and yields nothing before its origin', async () => {
    const equities = await bars({ session: 'us-equities' }, 'ALPHA');
    expect(equities.every((b) => [1, 2, 3, 4, 5].includes(new Date(b.time).getUTCDay()))).toBe(true);
    expect(await bars({}, 'ALPHA', Date.UTC(2019, 0, 1), Date.UTC(2019, 6, 1))).toEqual([]);
  });
});
