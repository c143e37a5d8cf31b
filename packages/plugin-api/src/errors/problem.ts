export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong with an input, located by a path a person can find (e.g. `strategies[0].config.period`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly severity: ProblemSeverity;
}

/** Joins path segments as `a.b[0].c`; an empty path is reported as `(root)`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Prefixes a problem path with the location it was found under. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '(root)' || path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
