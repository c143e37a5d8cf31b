import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateManifest, type PluginKind } from '@trading-orchestrator/plugin-api';
import { brokerTemplate } from './templates/broker.js';
import { dataTemplate } from './templates/data.js';
import { indicatorTemplate } from './templates/indicator.js';
import type { KindTemplate } from './templates/kind-template.js';
import { riskTemplate } from './templates/risk.js';
import { notifierTemplate } from './templates/notifier.js';
import { panelTemplate } from './templates/panel.js';
import { strategyTemplate } from './templates/strategy.js';
import { SCAFFOLD_VERSIONS } from './versions.js';

export const SCAFFOLD_KINDS = ['strategy', 'data', 'risk', 'indicator', 'notifier', 'panel', 'broker'] as const satisfies readonly PluginKind[];
export type ScaffoldKind = (typeof SCAFFOLD_KINDS)[number];

const TEMPLATES: Readonly<Record<ScaffoldKind, KindTemplate>> = { strategy: strategyTemplate, data: dataTemplate, risk: riskTemplate, indicator: indicatorTemplate, notifier: notifierTemplate, panel: panelTemplate, broker: brokerTemplate };

export interface ScaffoldOptions {
  /** The npm package name, e.g. `trading-strategy-streak` or `@acme/strategy-streak`. */
  readonly name: string;
  readonly kind: ScaffoldKind;
  /** Folder to create; default: the unscoped name, under the current directory. */
  readonly directory?: string;
  /** The plugin id users write in configs; default: the unscoped name. */
  readonly id?: string;
}

export interface ScaffoldResult {
  readonly directory: string;
  readonly id: string;
  readonly files: readonly string[];
}

/** A scaffold request that cannot be carried out; nothing has been written. */
export class ScaffoldError extends Error {
  readonly code = 'SCAFFOLD_INVALID';
  constructor(message: string, readonly path: string, readonly hint: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

function packageJson(options: ScaffoldOptions, id: string, template: KindTemplate): Record<string, unknown> {
  const v = SCAFFOLD_VERSIONS;
  const apiRange = `^${v.pluginApi.split('.')[0]}.0.0`;
  const layout = template.layout;
  return {
    name: options.name,
    version: '0.1.0',
    description: `A trading-orchestrator ${options.kind} plugin.`,
    keywords: ['trading-orchestrator-plugin', options.kind],
    license: 'MIT',
    type: 'module',
    sideEffects: layout !== undefined,
    exports: layout?.exports ?? { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist', '!dist/**/*.map'],
    engines: { node: '>=20.19' },
    ...(options.name.startsWith('@') ? { publishConfig: { access: 'public' } } : {}),
    scripts: { build: 'tsup', test: 'vitest run', typecheck: 'tsc --noEmit', prepublishOnly: 'npm run build && npm test' },
    ...(layout?.zod === false ? {} : { dependencies: { zod: v.zod } }),
    peerDependencies: { '@trading-orchestrator/plugin-api': apiRange },
    devDependencies: {
      '@trading-orchestrator/plugin-api': `^${v.pluginApi}`,
      ...(layout?.testkit === false ? {} : { '@trading-orchestrator/plugin-testkit': `^${v.pluginTestkit}` }),
      '@types/node': v.typesNode,
      tsup: v.tsup,
      typescript: v.typescript,
      vitest: v.vitest,
    },
    'trading-orchestrator': { plugin: { id, kind: options.kind, api: apiRange, entry: layout?.entry ?? './dist/index.js', ...template.manifestExtras } },
  };
}

function readme(options: ScaffoldOptions, id: string, template: KindTemplate): string {
  return `# ${options.name}

A [trading-orchestrator](https://github.com/trading-orchestrator/trading-orchestrator) ${options.kind} plugin
(\`id: ${id}\`). Install it next to the runner and it is discovered from its package.json:

\`\`\`sh
npm install ${options.name}
npx @trading-orchestrator/runner plugins info ${id}
\`\`\`

## Configuration

| option | default | meaning |
|---|---|---|
${template.configDoc}

## Development

\`\`\`sh
npm install
npm run build
npm test                                             # ${template.layout === undefined ? `the test kit's ${options.kind} conformance suite` : 'its tests'}
npx @trading-orchestrator/runner plugins validate .          # as discovery and loading will see it
\`\`\`

## Releasing

Record each user-visible change as it is made, then version and publish:

\`\`\`sh
npx @changesets/cli init        # once
npx @changesets/cli             # per change: pick patch, minor or major and describe it
npx @changesets/cli version     # apply pending changesets to the version and CHANGELOG.md
npm publish                     # builds and tests first (prepublishOnly)
\`\`\`

Keep \`peerDependencies["@trading-orchestrator/plugin-api"]\` equal to the manifest's \`api\` range.
`;
}

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true, types: ['node'] },
  include: ['src', 'test'],
};

/** Writes a new plugin package of `kind` into an empty or new folder, and returns what it wrote. */
export function scaffoldPlugin(options: ScaffoldOptions, cwd = process.cwd()): ScaffoldResult {
  if (!NPM_NAME.test(options.name)) {
    throw new ScaffoldError(`"${options.name}" is not a valid npm package name`, 'name', 'use lowercase letters, digits, "-", "." or "_", optionally under a scope: @acme/strategy-streak');
  }
  if (!(SCAFFOLD_KINDS as readonly string[]).includes(options.kind)) {
    throw new ScaffoldError(`unknown plugin kind "${String(options.kind)}"`, 'kind', `use --kind ${SCAFFOLD_KINDS.join('|')}`);
  }
  const unscoped = options.name.replace(/^@[^/]+\//, '');
  const id = options.id ?? unscoped;
  const template = TEMPLATES[options.kind];
  const manifest = packageJson(options, id, template);
  const checked = validateManifest((manifest['trading-orchestrator'] as { plugin: unknown }).plugin);
  if (!checked.ok) {
    throw new ScaffoldError(`the plugin manifest would be invalid: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, 'id', 'choose an id of lowercase letters, digits and dashes with --id');
  }
  const directory = resolve(cwd, options.directory ?? unscoped);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new ScaffoldError(`${directory} exists and is not empty`, 'directory', 'choose a new folder, or empty this one');
  }
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'src/index.ts': template.source,
    'test/conformance.test.ts': template.test.replaceAll('__ID__', id),
    'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    'tsup.config.ts': "import { defineConfig } from 'tsup';\n\nexport default defineConfig({ entry: ['src/index.ts'], format: ['esm'], target: 'node20', dts: true, sourcemap: true, clean: true });\n",
    'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'] } });\n",
    'README.md': readme(options, id, template),
    '.gitignore': 'node_modules/\ndist/\n*.tgz\n',
  };
  // A layout's files replace the usual ones; an empty one removes it (a panel has no src/index.ts).
  for (const [path, content] of Object.entries(template.layout?.files ?? {})) {
    if (content === '') delete files[path];
    else files[path] = content;
  }
  if (template.layout !== undefined) {
    files[template.layout.entry.replace('./dist/', 'src/').replace(/\.js$/, '.ts')] = template.source;
    files[template.layout.testFile] = template.test.replaceAll('__ID__', id);
    delete files['test/conformance.test.ts'];
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return { directory, id, files: Object.keys(files) };
}
