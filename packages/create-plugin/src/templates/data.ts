import type { KindTemplate } from './kind-template.js';

export const dataTemplate: KindTemplate = {
  source: `import { readFile } from 'node:fs/promises';
import { checkBar, DataUnavailableError, defineDataProvider, nearestNames, TIMEFRAMES, type Bar, type HistoricalBarsRequest } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** CSV files with a header line \`time,open,high,low,close,volume\` (time as ISO 8601 or epoch milliseconds). */
  files: z.array(z.object({ path: z.string().min(1), symbol: z.string().min(1), timeframe: z.enum(TIMEFRAMES) })).min(1),
});

const PAGE = 1_000;

async function readBars(path: string, symbol: string, timeframe: Bar['timeframe']): Promise<Bar[]> {
  const lines = (await readFile(path, 'utf8')).split(/\\r?\\n/).slice(1).filter((line) => line.trim() !== '');
  const bars: Bar[] = [];
  for (const line of lines) {
    const [time, open, high, low, close, volume] = line.split(',');
    const bar: Bar = { symbol, timeframe, time: /^\\d+$/.test(time ?? '') ? Number(time) : Date.parse(time ?? ''), open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume) };
    // A data source never hands on a bar that breaks the contract.
    if (checkBar(bar) === undefined) bars.push(bar);
  }
  return bars.sort((a, b) => a.time - b.time).filter((b, i, all) => i === 0 || b.time !== all[i - 1]!.time);
}

/** OHLCV bars from CSV files, one file per symbol and timeframe. */
export default defineDataProvider({
  configSchema: config,
  init(ctx) {
    const cache = new Map<string, Promise<Bar[]>>();
    return {
      async *historicalBars(request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
        const file = ctx.config.files.find((f) => f.symbol === request.symbol && f.timeframe === request.timeframe);
        if (file === undefined) {
          const symbols = ctx.config.files.map((f) => f.symbol);
          const near = nearestNames(request.symbol, symbols);
          throw new DataUnavailableError(\`no file holds \${request.timeframe} bars of "\${request.symbol}"\${near.length > 0 ? \` (did you mean \${near.join(', ')}?)\` : ''}\`, {
            pluginId: ctx.pluginId,
            path: 'files',
            hint: \`add a file for it to files, or use one of: \${symbols.join(', ')}\`,
          });
        }
        const key = \`\${file.symbol}|\${file.timeframe}\`;
        if (!cache.has(key)) cache.set(key, readBars(file.path, file.symbol, file.timeframe));
        const bars = (await cache.get(key)!).filter((b) => b.time >= request.start && b.time < request.end);
        for (let i = 0; i < bars.length; i += PAGE) yield bars.slice(i, i + PAGE);
      },
      symbols: () => [...new Set(ctx.config.files.map((f) => f.symbol))].sort(),
    };
  },
});
`,
  test: `import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDataConformance, generateBars } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

// A year of seeded daily bars written the way the plugin reads them.
const dir = mkdtempSync(join(tmpdir(), '__ID__-'));
const bars = [...generateBars({ symbol: 'ACME', timeframe: '1d', start: Date.UTC(2024, 0, 1), count: 250, seed: 7 })];
writeFileSync(join(dir, 'acme.csv'), ['time,open,high,low,close,volume', ...bars.map((b) => [new Date(b.time).toISOString(), b.open, b.high, b.low, b.close, b.volume].join(','))].join('\\n'));

describeDataConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { files: [{ path: join(dir, 'acme.csv'), symbol: 'ACME', timeframe: '1d' }] },
  invalidConfigs: [
    { config: { files: [] }, paths: ['files'] },
    { config: { files: [{ path: 'x.csv', symbol: 'X', timeframe: '2d' }] }, paths: ['files[0].timeframe'] },
  ],
  request: { symbol: 'ACME', timeframe: '1d', start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) },
  unknownSymbol: { request: { symbol: 'ACMEE', timeframe: '1d', start: 0, end: 1 }, message: 'no file holds 1d bars of "ACMEE" (did you mean ACME?)' },
});
`,
  configDoc: '| `files` | required | `[{ path, symbol, timeframe }]`: CSV files with header `time,open,high,low,close,volume` |',
  manifestExtras: { capabilities: { feeds: ['historical'] } },
};
