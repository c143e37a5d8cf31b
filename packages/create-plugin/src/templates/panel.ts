import type { KindTemplate } from './kind-template.js';

/** A dashboard panel: a browser script the dashboard runs in a sandboxed frame and feeds the topics it names. */
export const panelTemplate: KindTemplate = {
  source: `import type { PanelApi } from '@trading-orchestrator/plugin-api';
import { drawdownSummary, type EquityPoint } from './summary.js';

// The dashboard gives the script \`panel\`: its root element and \`on(topic, handler)\` for the topics in the manifest.
// The frame has no network and no access to the dashboard: everything comes through \`panel.on\`.
declare const panel: PanelApi;

const root = panel.root as HTMLElement;
const line = document.createElement('p');
line.textContent = 'Waiting for the account equity…';
root.append(line);
const points: EquityPoint[] = [];

panel.on<EquityPoint>('equity', (point) => {
  points.push({ time: point.time, equity: point.equity });
  if (points.length > 5_000) points.shift();
  const s = drawdownSummary(points);
  line.textContent = \`equity \${s.last.toFixed(2)} · peak \${s.peak.toFixed(2)} · drawdown \${(s.drawdown * 100).toFixed(2)}% (deepest \${(s.deepest * 100).toFixed(2)}%)\`;
});
`,
  test: `import { readFileSync } from 'node:fs';
import { validateManifest } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { drawdownSummary } from '../src/summary.js';

describe('__ID__', () => {
  it('declares itself a panel reading the account equity', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const manifest = validateManifest(pkg['trading-orchestrator'].plugin);
    expect(manifest.problems).toEqual([]);
    expect(manifest.ok && manifest.manifest.panel?.topics).toEqual(['equity']);
  });

  it('measures the drawdown from the running peak', () => {
    const s = drawdownSummary([
      { time: 1, equity: 100 },
      { time: 2, equity: 120 },
      { time: 3, equity: 90 },
      { time: 4, equity: 108 },
    ]);
    expect(s).toMatchObject({ last: 108, peak: 120 });
    expect(s.drawdown).toBeCloseTo(-0.1, 12);
    expect(s.deepest).toBeCloseTo(-0.25, 12);
  });
});
`,
  configDoc: '| (none) | | a panel has no settings: it shows what the session publishes on the topics in its manifest |',
  manifestExtras: { panel: { topics: ['equity'], title: 'Drawdown', height: 120 } },
  layout: {
    entry: './dist/panel.js',
    exports: { './panel.js': './dist/panel.js', './package.json': './package.json' },
    zod: false,
    testkit: false,
    testFile: 'test/panel.test.ts',
    files: {
      'src/index.ts': '',
      'src/panel.ts': '',
      'src/summary.ts': `/** One point of the account's equity, as the \`equity\` topic sends it. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

/** The latest equity, its peak so far, and the drawdown from that peak now and at its deepest (fractions, <= 0). */
export function drawdownSummary(points: readonly EquityPoint[]): { last: number; peak: number; drawdown: number; deepest: number } {
  let peak = Number.NEGATIVE_INFINITY;
  let deepest = 0;
  for (const p of points) {
    peak = Math.max(peak, p.equity);
    deepest = Math.min(deepest, peak > 0 ? p.equity / peak - 1 : 0);
  }
  const last = points.at(-1)?.equity ?? 0;
  return { last, peak, drawdown: peak > 0 ? last / peak - 1 : 0, deepest };
}
`,
      'tsup.config.ts': `import { defineConfig } from 'tsup';

// A browser script, not a module: the dashboard inlines it in the panel's sandboxed frame.
export default defineConfig({ entry: { panel: 'src/panel.ts' }, format: ['iife'], platform: 'browser', target: 'es2022', outExtension: () => ({ js: '.js' }), minify: true, clean: true });
`,
      'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`,
    },
  },
};
