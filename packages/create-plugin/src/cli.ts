#!/usr/bin/env node
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { SCAFFOLD_KINDS, ScaffoldError, scaffoldPlugin, type ScaffoldKind } from './scaffold.js';

const USAGE = `Usage: npm create @trading-orchestrator/plugin <package-name> -- --kind ${SCAFFOLD_KINDS.join('|')} [--id <plugin-id>] [--dir <folder>]`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { kind: { type: 'string' }, id: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0 || values.kind === undefined) {
    console.error(`${name === undefined ? 'a package name is required' : values.kind === undefined ? '--kind is required' : `unexpected arguments: ${extra.join(' ')}`}\n${USAGE}`);
    return 2;
  }
  try {
    const result = scaffoldPlugin({ name, kind: values.kind as ScaffoldKind, ...(values.id === undefined ? {} : { id: values.id }), ...(values.dir === undefined ? {} : { directory: values.dir }) });
    const folder = relative(process.cwd(), result.directory) || '.';
    console.log(`Created ${values.kind} plugin "${result.id}" (${name}) in ${folder}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n\nNext:\n  cd ${folder}\n  npm install\n  npm run build && npm test`);
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      console.error(`error: ${error.message}\n  fix: ${error.hint}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
