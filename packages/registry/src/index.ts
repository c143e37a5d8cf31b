export { discoverPlugins, type DiscoveryOptions } from './discover.js';
export { PluginCatalog, type CacheStatus, type CatalogInfo } from './catalog/plugin-catalog.js';
export type { CatalogEntry, DiscoveryProblem, DiscoverySource, PluginStatus } from './catalog/catalog-entry.js';
export { checkApiCompatibility, type ApiCompatibility, type ApiCompatibilityInput } from './compat/check-api-compatibility.js';
export { entryOutsidePackage } from './package/entry-outside-package.js';
export { PLUGIN_PATHS_ENV } from './roots/explicit-paths.js';
export { nearestNames } from '@trading-orchestrator/plugin-api';
