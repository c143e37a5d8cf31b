import { hasErrorCode, type PluginError } from '@trading-orchestrator/plugin-api';
import { discoverPlugins, type PluginCatalog } from '@trading-orchestrator/registry';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseRunConfig } from '../src/config/load-config.js';

/**
 * A run file is typed by hand. Whatever it holds, the loader returns a run config or throws CONFIG_INVALID with
 * every problem at a path: never a TypeError, never a stack, never a hang.
 */
// FUZZ_RUNS sets the cases per property; they take seconds on a loaded machine, so each test has a generous timeout.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const runnerDir = new URL('..', import.meta.url).pathname;
let catalog: PluginCatalog;
beforeAll(async () => {
  catalog = await discoverPlugins({ projectDir: runnerDir, cacheFile: false, env: {} });
});

async function loadsOrSaysWhy(text: string, file: string, env: Record<string, string> = {}): Promise<void> {
  try {
    await parseRunConfig(text, file, env, catalog);
  } catch (error) {
    expect(hasErrorCode(error, 'CONFIG_INVALID'), String(error)).toBe(true);
    const problems = (error as PluginError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.path.length).toBeGreaterThan(0);
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.message).not.toMatch(/\n\s+at /);
    }
  }
}

const plugin = fc.constantFrom('data-synthetic', 'data-file', 'ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion', 'risk-guards', 'risk-var', 'paper', 'nope', '', 'MA-Crossover');
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.double(), fc.integer({ min: -5, max: 500 }), fc.boolean(), fc.constant(null), fc.constantFrom('${HOME}', '${UNSET}', '${X:-3}', '1h', '2020-01-01', 'NaN', '0.5'));
const loose = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }));
const pluginEntry = fc.record({ plugin: fc.oneof(plugin, scalar), config: fc.oneof(fc.dictionary(fc.constantFrom('fast', 'slow', 'period', 'k', 'maxVarPct', 'fsat', 'symbols', 'seed'), scalar, { maxKeys: 3 }), loose), id: fc.oneof(fc.string({ maxLength: 5 }), scalar), sizing: fc.oneof(fc.record({ method: fc.constantFrom('fixed-fraction', 'volatility-target', 'strategy-hint', 'x'), fraction: scalar }, { requiredKeys: [] }), loose), allocation: scalar, enabled: fc.boolean() }, { requiredKeys: [] });
const runShaped = fc.record(
  {
    mode: fc.oneof(fc.constantFrom('backtest', 'paper', 'live'), scalar),
    data: fc.oneof(pluginEntry, loose),
    symbols: fc.oneof(fc.array(fc.constantFrom('ALPHA', 'SPY', 'BTC/USDT', ''), { maxLength: 3 }), loose),
    timeframe: fc.oneof(fc.constantFrom('1m', '1h', '1d', '7x'), scalar),
    start: fc.oneof(fc.constantFrom('2020-01-01', '2020-13-01', 'yesterday'), scalar),
    end: fc.oneof(fc.constantFrom('2020-02-01', '2019-01-01'), scalar),
    capital: scalar,
    strategies: fc.oneof(fc.array(pluginEntry, { maxLength: 3 }), loose),
    risk: fc.oneof(fc.array(pluginEntry, { maxLength: 2 }), loose),
    broker: fc.oneof(pluginEntry, loose),
    account: loose,
    instruments: loose,
    capitl: scalar,
  },
  { requiredKeys: [] },
);

describe('the run-config loader on generated files', () => {
  it('any text, as YAML and as JSON', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('run.yaml', 'run.json'), async (text, file) => loadsOrSaysWhy(text, file)),
      { numRuns: RUNS },
    );
  });

  it('documents shaped like run files, with wrong types, unknown plugins, misspelt keys and placeholders anywhere', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(runShaped, fc.boolean(), async (doc, asJson) => (asJson ? loadsOrSaysWhy(JSON.stringify(doc), 'run.json', { HOME: '/home/x' }) : loadsOrSaysWhy(stringify(doc), 'run.yaml', { HOME: '/home/x' }))),
      { numRuns: RUNS },
    );
  });

  it('YAML text with its lines shuffled, indented and cut', { timeout: 120_000 }, async () => {
    const base = stringify({ data: { plugin: 'data-synthetic' }, symbols: ['ALPHA'], timeframe: '1h', start: '2020-01-01', end: '2020-02-01', strategies: [{ plugin: 'ma-crossover', config: { fast: 5, slow: 20 } }] }).split('\n');
    const edit = fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.constantFrom('drop', 'indent', 'dedent', 'cut', 'dup', 'tab')), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(edit, async (edits) => {
        const lines = [...base];
        for (const [at, how] of edits) {
          const i = at % lines.length;
          if (how === 'drop') lines.splice(i, 1);
          else if (how === 'indent') lines[i] = `   ${lines[i]}`;
          else if (how === 'dedent') lines[i] = lines[i]!.trimStart();
          else if (how === 'cut') lines[i] = lines[i]!.slice(0, Math.floor(lines[i]!.length / 2));
          else if (how === 'dup') lines.splice(i, 0, lines[i]!);
          else lines[i] = `\t${lines[i]}`;
          if (lines.length === 0) lines.push('');
        }
        await loadsOrSaysWhy(lines.join('\n'), 'run.yaml');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the run-config loader on hostile files', () => {
  const problemsOf = async (text: string, file: string): Promise<string[]> => {
    try {
      await parseRunConfig(text, file, {}, catalog);
    } catch (error) {
      expect(hasErrorCode(error, 'CONFIG_INVALID'), String(error)).toBe(true);
      return (error as PluginError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    throw new Error('expected the file to be refused');
  };

  it('a YAML alias bomb is refused without being expanded', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('data: *j');
    expect(await problemsOf(lines.join('\n'), 'run.yaml')).toEqual(['(root): its YAML aliases (*name) expand to more than 1000 copies, which no run file needs']);
  });

  it('JSON and YAML nested 100,000 deep are refused as too deep, not a stack overflow', { timeout: 120_000 }, async () => {
    const deepJson = `{"data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expect((await problemsOf(deepJson, 'run.json'))[0]).toMatch(/^data\.a\.a.*…: nests deeper than 64 levels/);
    expect(await problemsOf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'run.json')).toHaveLength(1);
    expect((await problemsOf(`data: ${'{b: '.repeat(100_000)}1${'}'.repeat(100_000)}`, 'run.yaml'))[0]).toMatch(/nests deeper than 64 levels/);
  });

  it('__proto__ (or constructor, prototype) anywhere is refused by path, never dropped in silence', async () => {
    const text = 'data:\n  plugin: data-synthetic\nsymbols: [ALPHA]\ntimeframe: 1h\nstart: 2024-01-01\nend: 2024-02-01\nstrategies:\n  - plugin: ma-crossover\n    config: { fast: 3, __proto__: { slow: 5 } }\n';
    expect(await problemsOf(text, 'run.yaml')).toEqual(['strategies[0].config.__proto__: "__proto__" is not a setting: a key of that name would change what every object inherits']);
    expect(await problemsOf(JSON.stringify({ data: { plugin: 'data-synthetic', constructor: 1 } }), 'run.json')).toEqual(['data.constructor: "constructor" is not a setting: a key of that name would change what every object inherits']);
  });
});
