import { formatPath, meetsCondition, parseCondition, searchSpaceSchema, type Condition, type ParamValues, type Problem, type SearchSpace } from '@trading-orchestrator/plugin-api';
import { Dimension } from './dimension.js';

/** A checked search space: its dimensions in a fixed order and its conditions, read. */
export class ResolvedSpace {
  readonly dimensions: readonly Dimension[];
  readonly conditions: readonly Condition[];

  private constructor(space: SearchSpace) {
    this.dimensions = Object.entries(space.params)
      .filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)
      .map(([name, spec]) => new Dimension(name, spec));
    this.conditions = (space.conditions ?? []).map((text) => parseCondition(text)!);
  }

  /** Checks `space` (ranges, conditions naming its own settings); every problem is located under `path`. */
  static check(space: unknown, path: string): { ok: true; space: ResolvedSpace } | { ok: false; problems: Problem[] } {
    const parsed = searchSpaceSchema.safeParse(space);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue): Problem => {
        const at = formatPath(issue.path as PropertyKey[]);
        return { path: at === '(root)' ? path : at.startsWith('[') ? `${path}${at}` : `${path}.${at}`, message: issue.message, severity: 'error' };
      });
      return { ok: false, problems };
    }
    if (Object.keys(parsed.data.params).length === 0) return { ok: false, problems: [{ path: `${path}.params`, message: 'no setting to search; name at least one, e.g. fast: { type: int, min: 5, max: 50 }', severity: 'error' }] };
    return { ok: true, space: new ResolvedSpace(parsed.data as SearchSpace) };
  }

  get names(): readonly string[] {
    return this.dimensions.map((d) => d.name);
  }

  /** Whether `values` meet every condition. */
  allows(values: ParamValues): boolean {
    for (const c of this.conditions) if (!meetsCondition(c, values)) return false;
    return true;
  }

  /** The number of combinations a grid search would enumerate before conditions are applied. */
  gridSize(): number {
    return this.dimensions.reduce((n, d) => n * d.gridValues().length, 1);
  }
}

/** The same values written the same way whatever order their keys came in: a trial's identity. */
export function paramsKey(values: ParamValues): string {
  return JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
}
