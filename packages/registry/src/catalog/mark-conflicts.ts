import type { CatalogEntry } from './catalog-entry.js';

/**
 * Two packages claiming one id are both marked as a conflict: picking one silently would make a run depend on
 * install order. Invalid manifests take no part (their id is not trusted).
 */
export function markConflicts(entries: readonly CatalogEntry[]): CatalogEntry[] {
  const byId = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    if (entry.status === 'invalid') continue;
    const group = byId.get(entry.id);
    if (group === undefined) byId.set(entry.id, [entry]);
    else group.push(entry);
  }
  return entries.map((entry) => {
    const group = byId.get(entry.id);
    if (group === undefined || group.length < 2) return entry;
    const others = group.filter((e) => e !== entry).map((e) => `${e.packageName}@${e.version} (${e.packageDir})`);
    const names = group.map((e) => e.packageName).join(', ');
    return {
      ...entry,
      status: 'conflict',
      reason: `id "${entry.id}" is also claimed by ${others.join(', ')}`,
      fix: `keep one of ${names}: uninstall the others or remove them from the plugin paths`,
    };
  });
}
