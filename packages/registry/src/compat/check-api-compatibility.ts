import semver from 'semver';

export type ApiCompatibility =
  | { readonly compatible: true }
  | { readonly compatible: false; readonly reason: string; readonly fix: string };

export interface ApiCompatibilityInput {
  /** The manifest's `api` range. */
  readonly wanted: string;
  /** The host's PLUGIN_API_VERSION. */
  readonly hostVersion: string;
  readonly pluginPackage: string;
  /** The package a user upgrades to get a newer plugin API (the runner, usually). */
  readonly hostPackage: string;
}

/** Whether a plugin's `api` range admits the host's plugin-API version, and if not, what the user can do. */
export function checkApiCompatibility(input: ApiCompatibilityInput): ApiCompatibility {
  const { wanted, hostVersion, pluginPackage, hostPackage } = input;
  if (semver.satisfies(hostVersion, wanted, { includePrerelease: true })) return { compatible: true };
  const reason = `needs plugin API ${wanted}, this host provides ${hostVersion}`;
  const hostMajor = semver.major(hostVersion);
  if (semver.ltr(hostVersion, wanted, { includePrerelease: true })) {
    return {
      compatible: false,
      reason,
      fix: `upgrade the host (npm install ${hostPackage}@latest) to one whose plugin API satisfies ${wanted}, or install a release of ${pluginPackage} made for plugin API ${hostMajor}.x`,
    };
  }
  return {
    compatible: false,
    reason,
    fix: `install a release of ${pluginPackage} made for plugin API ${hostMajor}.x (npm install ${pluginPackage}@latest), or ask its author to widen "api" to include ${hostVersion}`,
  };
}
