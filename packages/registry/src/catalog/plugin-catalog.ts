import type { PluginCapabilities, PluginKind } from '@trading-orchestrator/plugin-api';
import type { CatalogEntry, DiscoveryProblem, PluginStatus } from './catalog-entry.js';

export type CacheStatus = 'hit' | 'miss' | 'disabled' | 'write-failed';

export interface CatalogInfo {
  readonly hostApiVersion: string;
  readonly cache: CacheStatus;
  readonly durationMs: number;
}

/** What discovery found: every plugin package with its status, and problems that belong to no plugin. */
export class PluginCatalog {
  constructor(
    readonly entries: readonly CatalogEntry[],
    readonly problems: readonly DiscoveryProblem[],
    readonly info: CatalogInfo,
  ) {}

  /** Every entry claiming this id (more than one means a conflict). */
  byId(id: string): CatalogEntry[] {
    return this.entries.filter((e) => e.id === id);
  }

  /** The single loadable plugin with this id, or undefined when it is missing, unusable or in conflict. */
  loadable(id: string): CatalogEntry | undefined {
    return this.entries.find((e) => e.id === id && e.status === 'compatible');
  }

  byKind(kind: PluginKind): CatalogEntry[] {
    return this.entries.filter((e) => e.kind === kind);
  }

  byStatus(status: PluginStatus): CatalogEntry[] {
    return this.entries.filter((e) => e.status === status);
  }

  /**
   * Compatible plugins that can serve `value` for a capability. A manifest that does not list the capability
   * is taken to support any value (a strategy that names no timeframes runs on all of them).
   */
  supporting<C extends keyof PluginCapabilities>(capability: C, value: NonNullable<PluginCapabilities[C]>[number]): CatalogEntry[] {
    return this.byStatus('compatible').filter((e) => {
      const declared = e.manifest?.capabilities?.[capability] as readonly string[] | undefined;
      return declared === undefined || declared.includes(value);
    });
  }

  /** Ids known to the catalog, for "did you mean" suggestions. */
  ids(): string[] {
    return [...new Set(this.entries.map((e) => e.id))].sort();
  }

  toJSON(): { entries: readonly CatalogEntry[]; problems: readonly DiscoveryProblem[]; info: CatalogInfo } {
    return { entries: this.entries, problems: this.problems, info: this.info };
  }
}
