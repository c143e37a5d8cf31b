import type { PanelRiskFigures } from '@trading-orchestrator/plugin-api';

/** A symmetric matrix of correlations between the symbols held, with where it came from. */
export interface CorrelationMatrix {
  readonly source: string;
  readonly symbols: readonly string[];
  /** `cells[i][j]`: the correlation of `symbols[i]` with `symbols[j]`; 1 on the diagonal. */
  readonly cells: readonly (readonly number[])[];
}

const PREFIX = 'correlation:';

/**
 * The correlations a risk plugin reports as `correlation:<a>:<b>` figures (risk-var does, for each pair of symbols
 * held), as a matrix; undefined when no plugin reports any. Symbols contain no ':' but may contain '/'.
 */
export function correlationMatrix(figures: readonly PanelRiskFigures[]): CorrelationMatrix | undefined {
  for (const plugin of figures) {
    const values = plugin.figures?.values;
    if (values === undefined) continue;
    const pairs: [string, string, number][] = [];
    for (const [key, value] of Object.entries(values)) {
      if (!key.startsWith(PREFIX) || !Number.isFinite(value)) continue;
      const [a, b] = key.slice(PREFIX.length).split(':');
      if (a !== undefined && b !== undefined && a !== '' && b !== '') pairs.push([a, b, value]);
    }
    if (pairs.length === 0) continue;
    const symbols = [...new Set(pairs.flatMap(([a, b]) => [a, b]))].sort();
    const index = new Map(symbols.map((s, i) => [s, i]));
    const cells = symbols.map((_, i) => symbols.map((__, j) => (i === j ? 1 : Number.NaN)));
    for (const [a, b, value] of pairs) {
      cells[index.get(a)!]![index.get(b)!] = value;
      cells[index.get(b)!]![index.get(a)!] = value;
    }
    return { source: plugin.pluginId, symbols, cells };
  }
  return undefined;
}

/** A colour for a correlation: blue for -1, near-black for 0, red for +1; grey when unknown. */
export function heatColour(value: number): string {
  if (!Number.isFinite(value)) return 'rgb(60,60,60)';
  const v = Math.max(-1, Math.min(1, value));
  const strength = Math.round(Math.abs(v) * 200);
  return v >= 0 ? `rgb(${40 + strength},40,45)` : `rgb(40,45,${40 + strength})`;
}
