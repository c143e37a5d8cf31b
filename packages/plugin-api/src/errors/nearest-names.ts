function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Known names closest to `wanted` (edit distance), for "did you mean" messages; at most `limit`, nearest first. */
export function nearestNames(wanted: string, known: readonly string[], limit = 3): string[] {
  const threshold = Math.max(2, Math.floor(wanted.length / 3));
  return known
    .map((name) => ({ name, distance: name.includes(wanted) || wanted.includes(name) ? 1 : editDistance(wanted, name) }))
    .filter((c) => c.distance <= threshold)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((c) => c.name);
}
