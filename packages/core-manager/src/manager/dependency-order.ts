/**
 * Orders ids so each comes after the ids it depends on (stable: otherwise input order). Ids in a cycle are
 * returned separately, since none of them can start first.
 */
export function dependencyOrder(ids: readonly string[], dependsOn: (id: string) => readonly string[]): { order: string[]; cyclic: string[] } {
  const known = new Set(ids);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = new Set<string>();

  const visit = (id: string, trail: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      for (const member of trail.slice(trail.indexOf(id))) cyclic.add(member);
      return;
    }
    state.set(id, 'visiting');
    for (const dep of dependsOn(id)) if (known.has(dep)) visit(dep, [...trail, id]);
    state.set(id, 'done');
    if (!cyclic.has(id)) order.push(id);
  };
  for (const id of ids) visit(id, []);
  return { order: order.filter((id) => !cyclic.has(id)), cyclic: ids.filter((id) => cyclic.has(id)) };
}
