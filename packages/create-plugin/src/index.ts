export { SCAFFOLD_KINDS, ScaffoldError, scaffoldPlugin, type ScaffoldKind, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
export { SCAFFOLD_VERSIONS, type ScaffoldVersions } from './versions.js';
