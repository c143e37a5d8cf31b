import { readFileSync } from 'node:fs';
import { packageVersion } from '../../tsup.shared.js';

const json = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, Record<string, string>>;

/** The versions a scaffolded plugin starts with: the ones this repository builds and tests its own plugins with. */
export function scaffoldVersions(): Record<string, string> {
  const root = json('../../package.json')['devDependencies']!;
  return {
    pluginApi: packageVersion(new URL('../plugin-api/package.json', import.meta.url)),
    pluginTestkit: packageVersion(new URL('../plugin-testkit/package.json', import.meta.url)),
    zod: json('../plugin-api/package.json')['dependencies']!['zod']!,
    tsup: root['tsup']!,
    vitest: root['vitest']!,
    typescript: root['typescript']!,
    typesNode: `^${root['@types/node']!}`,
  };
}
