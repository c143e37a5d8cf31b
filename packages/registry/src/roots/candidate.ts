import type { DiscoveryProblem, DiscoverySource } from '../catalog/catalog-entry.js';

/** How to treat a package that turns out to have no manifest field. */
export type NotAPluginPolicy = 'ignore' | 'warning' | 'error';

/** A package.json that may declare a plugin, and how discovery came to look at it. */
export interface Candidate {
  readonly packageJsonPath: string;
  readonly source: DiscoverySource;
  readonly notAPlugin: NotAPluginPolicy;
}

export interface RootScan {
  readonly candidates: Candidate[];
  readonly problems: DiscoveryProblem[];
  /** Files and folders whose change means the scan must be redone (for the discovery cache). */
  readonly watched: string[];
}

export function emptyScan(): RootScan {
  return { candidates: [], problems: [], watched: [] };
}
