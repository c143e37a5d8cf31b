declare const __SCAFFOLD_VERSIONS__: ScaffoldVersions;

export interface ScaffoldVersions {
  readonly pluginApi: string;
  readonly pluginTestkit: string;
  readonly zod: string;
  readonly tsup: string;
  readonly vitest: string;
  readonly typescript: string;
  readonly typesNode: string;
}

/** Written in at build time from the repository's own package.json files, so they never drift. */
export const SCAFFOLD_VERSIONS: ScaffoldVersions = __SCAFFOLD_VERSIONS__;
