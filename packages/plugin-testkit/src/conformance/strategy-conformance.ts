import { checkSignal, timeframeToMs, type Bar, type StrategyDefinition } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { badVariants } from './bad-bars.js';
import { settledHeapUsed } from './heap.js';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { runStrategy } from './run-strategy.js';
import { createTestContext } from './test-context.js';

export interface StrategyConformanceOptions<Config> {
  readonly definition: StrategyDefinition<Config>;
  /** The plugin's package.json (a path or a URL). */
  readonly packageJson: string | URL;
  /** A config that must pass validation; the other checks run with it. */
  readonly validConfig: unknown;
  readonly invalidConfigs: readonly InvalidConfigCase[];
  /** Bars to run; default: 3 symbols × 2,000 hourly bars from the seeded generator. */
  readonly bars?: readonly Bar[];
  /** Bars in the memory check; default 200,000 over 50 symbols. */
  readonly longRunBars?: number;
  /** Heap growth allowed over the long run, in bytes. Default 8 MB. */
  readonly maxHeapGrowth?: number;
}

/**
 * The strategy conformance suite: call it at the top level of a vitest file.
 *
 * ```ts
 * describeStrategyConformance('ma-crossover', { definition, packageJson: new URL('../package.json', import.meta.url), validConfig: {}, invalidConfigs: [...] });
 * ```
 */
export function describeStrategyConformance<Config>(name: string, options: StrategyConformanceOptions<Config>): void {
  const { definition } = options;
  const bars = options.bars ?? generateUniverse(['AAA', 'BBB', 'CCC'], { timeframe: '1h', count: 2_000, seed: 42, volatility: 0.6 });

  const start = async () => {
    const parsed = await definition.configSchema['~standard'].validate(options.validConfig);
    if (parsed.issues !== undefined) throw new Error(`validConfig is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    const ctx = createTestContext(parsed.value as Config);
    const strategy = await definition.init(ctx);
    await strategy.start?.();
    return { ctx, strategy };
  };

  describe(`${name}: strategy conformance`, () => {
    manifestAndConfigChecks({ kind: 'strategy', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.validConfig, invalidConfigs: options.invalidConfigs });

    it('emits well-formed signals for the bar’s own symbol', async () => {
      const { strategy } = await start();
      const steps = await runStrategy(strategy, bars);
      expect(steps.length, 'the strategy signals at least once on the test bars').toBeGreaterThan(0);
      for (const { bar, signals } of steps) {
        for (const s of signals) {
          expect(checkSignal(s), JSON.stringify(s)).toBeUndefined();
          expect(s.symbol).toBe(bar.symbol);
          for (const v of Object.values(s.metadata ?? {})) expect(typeof v === 'number' ? Number.isFinite(v) : true).toBe(true);
        }
      }
    });

    it('says nothing before each symbol has had warmupBars bars', async () => {
      const { strategy } = await start();
      const seen = new Map<string, number>();
      for (const bar of bars) {
        const n = (seen.get(bar.symbol) ?? 0) + 1;
        seen.set(bar.symbol, n);
        const out = await strategy.onBar(bar);
        if (n < strategy.warmupBars) expect(out ?? undefined, `${bar.symbol} bar ${n} of warm-up ${strategy.warmupBars}`).toBeUndefined();
      }
    });

    it('gives identical output for identical input (deterministic)', async () => {
      const a = await runStrategy((await start()).strategy, bars);
      const b = await runStrategy((await start()).strategy, bars);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    });

    it('rejects bad bars with a reason, and they leave its state untouched', async () => {
      const clean = await runStrategy((await start()).strategy, bars);
      const { ctx, strategy } = await start();
      const dirtyInput: Bar[] = [];
      const victim = Math.floor(bars.length / 2);
      const variants = badVariants(bars[victim]!);
      for (let i = 0; i < bars.length; i++) {
        if (i === victim) dirtyInput.push(...variants.map((v) => v.bar));
        dirtyInput.push(bars[i]!);
      }
      const dirty = await runStrategy(strategy, dirtyInput);
      const badIndexes = new Set(variants.map((_, k) => victim + k));
      expect(dirty.filter((s) => badIndexes.has(s.index))).toEqual([]);
      const shifted = dirty.map((s) => ({ ...s, index: s.index >= victim + variants.length ? s.index - variants.length : s.index }));
      expect(JSON.stringify(shifted)).toBe(JSON.stringify(clean));
      const warnings = ctx.logs.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(variants.length);
      variants.forEach((v, k) => expect(warnings[k]?.message, v.name).toContain(v.reasonMentions));
    });

    it('keeps each series (symbol and timeframe) apart: a four-hour bar after the hourly bars it spans is no bad bar', async () => {
      const { ctx, strategy } = await start();
      const hourly = generateUniverse(['AAA'], { timeframe: '1h', count: 800, seed: 11, volatility: 0.6 });
      const fourHourly = generateUniverse(['AAA'], { timeframe: '4h', count: 200, seed: 12, volatility: 0.6 });
      // A run hands a bar over once it has closed: the 12:00 four-hour bar comes after the 15:00 hourly one.
      const closes = (b: Bar) => b.time + timeframeToMs(b.timeframe);
      const interleaved = [...hourly, ...fourHourly].sort((a, b) => closes(a) - closes(b) || b.time - a.time);
      await runStrategy(strategy, interleaved);
      expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([]);
    });

    it('keeps bounded state over a long run with many symbols', async () => {
      const { strategy } = await start();
      const total = options.longRunBars ?? 200_000;
      const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`);
      const long = generateUniverse(symbols, { timeframe: '1m', count: total / symbols.length, seed: 7, volatility: 0.8 });
      const half = long.length / 2;
      for (let i = 0; i < half; i++) await strategy.onBar(long[i]!);
      const before = settledHeapUsed();
      for (let i = half; i < long.length; i++) await strategy.onBar(long[i]!);
      const growth = settledHeapUsed() - before;
      expect(growth, `heap grew ${(growth / 1e6).toFixed(2)} MB over the second half`).toBeLessThan(options.maxHeapGrowth ?? 8e6);
    }, 60_000);
  });
}
