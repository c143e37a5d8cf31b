import { checkBar, type Bar, type DataProviderDefinition, type HistoricalBarsRequest } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { createTestContext } from './test-context.js';

export interface DataConformanceOptions<Config> {
  readonly definition: DataProviderDefinition<Config>;
  readonly packageJson: string | URL;
  readonly validConfig: unknown;
  readonly invalidConfigs: readonly InvalidConfigCase[];
  /** A request the source can serve with at least a few bars. */
  readonly request: Omit<HistoricalBarsRequest, 'signal'>;
  /** A request for a symbol the source does not have, and what the error must say. */
  readonly unknownSymbol?: { readonly request: Omit<HistoricalBarsRequest, 'signal'>; readonly message: string | RegExp };
  readonly unsupportedTimeframe?: { readonly request: Omit<HistoricalBarsRequest, 'signal'>; readonly message: string | RegExp };
}

/** All bars of a request, page by page. */
export async function collectBars(source: AsyncIterable<readonly Bar[]>): Promise<{ bars: Bar[]; pages: number }> {
  const bars: Bar[] = [];
  let pages = 0;
  for await (const page of source) {
    pages++;
    bars.push(...page);
  }
  return { bars, pages };
}

/**
 * The first bar where two series differ, described, or undefined when they are equal. Compared field by field in
 * one loop: a deep equality of thousands of bars took seconds on a loaded machine.
 */
function firstDifference(actual: readonly Bar[], expected: readonly Bar[]): string | undefined {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a.symbol !== e.symbol || a.timeframe !== e.timeframe || a.time !== e.time || a.open !== e.open || a.high !== e.high || a.low !== e.low || a.close !== e.close || a.volume !== e.volume) {
      return `bar ${i} differs: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`;
    }
  }
  return actual.length === expected.length ? undefined : `got ${actual.length} bars, expected ${expected.length}`;
}

/**
 * Per test: a source may read a large file or a recorded server, twice in one test, on a machine running other
 * suites beside it. What the suite checks is behaviour, never speed.
 */
const TEST_TIMEOUT_MS = 60_000;

/** The data-plugin conformance suite: call it at the top level of a vitest file. */
export function describeDataConformance<Config>(name: string, options: DataConformanceOptions<Config>): void {
  const { definition, request } = options;
  const start = async () => {
    const parsed = await definition.configSchema['~standard'].validate(options.validConfig);
    if (parsed.issues !== undefined) throw new Error(`validConfig is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    const source = await definition.init(createTestContext(parsed.value as Config));
    await source.start?.();
    return source;
  };

  describe(`${name}: data conformance`, () => {
    manifestAndConfigChecks({ kind: 'data', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.validConfig, invalidConfigs: options.invalidConfigs });

    it('serves sound bars of the requested symbol and timeframe, ascending, without duplicates, inside [start, end)', async () => {
      const { bars } = await collectBars((await start()).historicalBars({ ...request, signal: new AbortController().signal }));
      expect(bars.length, 'the request yields bars').toBeGreaterThan(0);
      for (let i = 0; i < bars.length; i++) {
        const b = bars[i]!;
        const problem =
          checkBar(b) ??
          (b.symbol !== request.symbol || b.timeframe !== request.timeframe ? `is not a ${request.symbol} ${request.timeframe} bar` : undefined) ??
          (b.time < request.start || b.time >= request.end ? `lies outside [start, end)` : undefined) ??
          (i > 0 && !(b.time > bars[i - 1]!.time) ? `is not after bar ${i - 1} (${bars[i - 1]!.time})` : undefined);
        if (problem !== undefined) expect.fail(`bar ${i} ${JSON.stringify(b)}: ${problem}`);
      }
    }, TEST_TIMEOUT_MS);

    it('gives the same bars every time (deterministic)', async () => {
      const a = await collectBars((await start()).historicalBars({ ...request }));
      const b = await collectBars((await start()).historicalBars({ ...request }));
      expect(firstDifference(b.bars, a.bars)).toBeUndefined();
    }, TEST_TIMEOUT_MS);

    it('a sub-range is exactly the matching slice of the whole', async () => {
      const source = await start();
      const whole = (await collectBars(source.historicalBars({ ...request }))).bars;
      if (whole.length < 3) return;
      const mid = whole[Math.floor(whole.length / 3)]!.time;
      const end = whole[Math.floor((2 * whole.length) / 3)]!.time;
      const part = (await collectBars(source.historicalBars({ ...request, start: mid, end }))).bars;
      expect(firstDifference(part, whole.filter((b) => b.time >= mid && b.time < end))).toBeUndefined();
    }, TEST_TIMEOUT_MS);

    if (options.unknownSymbol !== undefined) {
      const { request: bad, message } = options.unknownSymbol;
      it('refuses an unknown symbol with a message that helps', async () => {
        await expect(collectBars((await start()).historicalBars({ ...bad }))).rejects.toThrow(message);
      }, TEST_TIMEOUT_MS);
    }
    if (options.unsupportedTimeframe !== undefined) {
      const { request: bad, message } = options.unsupportedTimeframe;
      it('refuses an unsupported timeframe with a message that helps', async () => {
        await expect(collectBars((await start()).historicalBars({ ...bad }))).rejects.toThrow(message);
      }, TEST_TIMEOUT_MS);
    }
  });
}
