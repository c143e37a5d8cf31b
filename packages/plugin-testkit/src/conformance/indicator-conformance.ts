import type { Bar, IndicatorDefinition } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { badVariants } from './bad-bars.js';
import { settledHeapUsed } from './heap.js';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { createTestContext } from './test-context.js';

export interface IndicatorConformanceOptions<Config> {
  readonly definition: IndicatorDefinition<Config>;
  readonly packageJson: string | URL;
  /** Each config is run through every behavioural check. */
  readonly validConfigs: readonly unknown[];
  readonly invalidConfigs: readonly InvalidConfigCase[];
  readonly bars?: readonly Bar[];
  readonly maxHeapGrowth?: number;
}

/** The indicator conformance suite: call it at the top level of a vitest file. */
export function describeIndicatorConformance<Config>(name: string, options: IndicatorConformanceOptions<Config>): void {
  const { definition } = options;
  const bars = options.bars ?? generateUniverse(['AAA', 'BBB'], { timeframe: '1h', count: 1_000, seed: 11, volatility: 0.5 });

  const start = async (config: unknown) => {
    const parsed = await definition.configSchema['~standard'].validate(config);
    if (parsed.issues !== undefined) throw new Error(`config ${JSON.stringify(config)} is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    const ctx = createTestContext(parsed.value as Config);
    return { ctx, indicator: await definition.init(ctx) };
  };
  const run = (indicator: Awaited<ReturnType<typeof start>>['indicator'], input: readonly Bar[]) => {
    const out = new Float64Array(indicator.outputs.length);
    return input.map((bar) => ({ ok: indicator.update(bar, out), values: [...out] }));
  };

  describe(`${name}: indicator conformance`, () => {
    manifestAndConfigChecks({ kind: 'indicator', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.validConfigs[0], invalidConfigs: options.invalidConfigs });

    for (const config of options.validConfigs) {
      const label = JSON.stringify(config);
      it(`${label}: NaN and false before warmupBars per symbol, finite values after`, async () => {
        const { indicator } = await start(config);
        expect(indicator.outputs.length).toBeGreaterThan(0);
        const seen = new Map<string, number>();
        const out = new Float64Array(indicator.outputs.length);
        for (const bar of bars) {
          const n = (seen.get(bar.symbol) ?? 0) + 1;
          seen.set(bar.symbol, n);
          const ok = indicator.update(bar, out);
          expect(ok, `${bar.symbol} bar ${n}`).toBe(n >= indicator.warmupBars);
          for (const v of out) expect(ok ? Number.isFinite(v) : Number.isNaN(v)).toBe(true);
        }
      });

      it(`${label}: deterministic, and bad bars are rejected without touching state`, async () => {
        const clean = run((await start(config)).indicator, bars);
        const again = run((await start(config)).indicator, bars);
        expect(again).toEqual(clean);
        const { ctx, indicator } = await start(config);
        const victim = Math.floor(bars.length / 2);
        const variants = badVariants(bars[victim]!);
        const dirty = run(indicator, [...bars.slice(0, victim), ...variants.map((v) => v.bar), ...bars.slice(victim)]);
        expect(dirty.slice(victim, victim + variants.length).every((r) => !r.ok)).toBe(true);
        expect([...dirty.slice(0, victim), ...dirty.slice(victim + variants.length)]).toEqual(clean);
        expect(ctx.logs.filter((l) => l.level === 'warn')).toHaveLength(variants.length);
      });

      it(`${label}: bounded state over a long run`, async () => {
        const { indicator } = await start(config);
        const long = generateUniverse(Array.from({ length: 50 }, (_, i) => `S${i}`), { timeframe: '1m', count: 4_000, seed: 3 });
        const out = new Float64Array(indicator.outputs.length);
        const half = long.length / 2;
        for (let i = 0; i < half; i++) indicator.update(long[i]!, out);
        const before = settledHeapUsed();
        for (let i = half; i < long.length; i++) indicator.update(long[i]!, out);
        expect(settledHeapUsed() - before).toBeLessThan(options.maxHeapGrowth ?? 4e6);
      }, 60_000);
    }
  });
}
