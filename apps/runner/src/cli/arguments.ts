import { parseArgs } from 'node:util';
import { nearestNames } from '@trading-orchestrator/registry';

/** The commands the CLI knows, as their words are typed. */
export const COMMANDS = ['backtest', 'paper', 'live', 'run', 'plugins list', 'plugins info', 'plugins validate', 'init', 'journal list', 'journal export', 'data download', 'optimize', 'check-strategy', 'worker', 'ctl', 'compare'] as const;
export type Command = (typeof COMMANDS)[number];

const RUNS: readonly Command[] = ['backtest', 'paper', 'live', 'run'];
const DISCOVERY: readonly Command[] = [...RUNS, 'plugins list', 'plugins info', 'init', 'data download', 'optimize', 'check-strategy', 'worker', 'compare'];

/** Each option, its type, and the commands it means something to (everywhere when absent). */
const OPTIONS = {
  project: { type: 'string', for: DISCOVERY },
  config: { type: 'string', short: 'c', for: [...RUNS, 'data download', 'optimize', 'check-strategy', 'ctl', 'compare'] },
  'control-file': { type: 'string', for: ['ctl'] },
  cuts: { type: 'string', for: ['check-strategy'] },
  'plugin-path': { type: 'string', multiple: true, for: DISCOVERY },
  'plugin-dir': { type: 'string', multiple: true, for: DISCOVERY },
  'no-cache': { type: 'boolean', for: DISCOVERY },
  json: { type: 'boolean', for: [...RUNS, 'plugins list', 'plugins info', 'journal list', 'journal export', 'ctl', 'compare'] },
  force: { type: 'boolean', for: ['init'] },
  journal: { type: 'string', for: [...RUNS, 'optimize', 'journal list', 'journal export', 'compare'] },
  run: { type: 'string', for: ['compare'] },
  'no-journal': { type: 'boolean', for: [...RUNS, 'optimize'] },
  report: { type: 'string', for: [...RUNS, 'optimize'] },
  'no-report': { type: 'boolean', for: [...RUNS, 'optimize'] },
  'new-sweep': { type: 'boolean', for: ['optimize'] },
  workers: { type: 'string', for: ['optimize'] },
  queue: { type: 'string', for: ['optimize', 'worker'] },
  'lock-ms': { type: 'string', for: ['worker'] },
  bars: { type: 'string', for: ['paper', 'live', 'run'] },
  'new-session': { type: 'boolean', for: ['paper', 'live', 'run'] },
  'confirm-live': { type: 'boolean', for: ['live', 'run'] },
  what: { type: 'string', for: ['journal export'] },
  strategy: { type: 'string', for: ['journal export', 'check-strategy'] },
  format: { type: 'string', for: ['journal export'] },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; for?: readonly Command[] }>;

type Options = typeof OPTIONS;
export type OptionValues = {
  -readonly [K in keyof Options]?: Options[K] extends { multiple: true } ? string[] : Options[K]['type'] extends 'string' ? string : boolean;
};

export type ParsedArguments =
  | { readonly ok: true; readonly command: Command | undefined; readonly positionals: readonly string[]; readonly values: OptionValues }
  | { readonly ok: false; readonly message: string };

function commandOf(positionals: readonly string[]): Command | undefined | string {
  if (positionals.length === 0) return 'backtest';
  const [first, second] = positionals;
  if (first === 'plugins') return second === undefined ? 'plugins list' : `plugins ${second}`;
  if (first === 'journal') return second === undefined ? 'journal list' : `journal ${second}`;
  if (first === 'data') return `data ${second ?? 'download'}`;
  return first;
}

/** How many words name the command (`plugins info` two, `backtest` one). */
function commandWords(command: Command): number {
  return command.includes(' ') ? 2 : 1;
}

/**
 * Reads the command line. Every mistake is a sentence that names it and how to fix it: an unknown option gets
 * the nearest known one, an option that means nothing to the command says which commands take it.
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  const loose = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const known = Object.keys(OPTIONS);
  for (const token of loose.tokens) {
    if (token.kind !== 'option') continue;
    const name = token.name;
    const option = Object.hasOwn(OPTIONS, name) ? (OPTIONS as Record<string, (typeof OPTIONS)[keyof Options]>)[name] : undefined;
    if (option === undefined) {
      const near = nearestNames(token.rawName.replace(/^-+/, ''), known);
      const hint = near.length > 0 ? `did you mean ${near.map((n) => `--${n}`).join(' or ')}?` : 'trading-orchestrator --help lists the options';
      return { ok: false, message: `unknown option ${token.rawName} (${hint})` };
    }
    // `--config --json` would take "--json" as the file: an option's value never starts with a dash unless written `--config=-x`.
    if (option.type === 'string' && (token.value === undefined || (token.inlineValue === false && token.value.startsWith('-')))) {
      return { ok: false, message: `${token.rawName} needs a value, e.g. ${token.rawName} ${EXAMPLES[name] ?? '<value>'}` };
    }
    if (option.type === 'boolean' && token.inlineValue === true) {
      return { ok: false, message: `${token.rawName} takes no value; write ${token.rawName} alone (or leave it out)` };
    }
  }
  const values = loose.values as OptionValues;
  const positionals = loose.positionals;
  const named = commandOf(positionals);
  if (!(COMMANDS as readonly string[]).includes(named as string)) {
    const near = nearestNames(positionals.slice(0, 2).join(' '), COMMANDS);
    return { ok: false, message: `unknown command "${positionals.join(' ')}".${near.length > 0 ? ` Did you mean "${near.join('" or "')}"?` : ''}` };
  }
  const command = named as Command;
  if (values.help === true || values.version === true) return { ok: true, command: undefined, positionals, values };
  for (const [name, option] of Object.entries(OPTIONS)) {
    const allowed = 'for' in option ? (option.for as readonly Command[]) : undefined;
    if ((values as Record<string, unknown>)[name] === undefined || allowed === undefined || allowed.includes(command)) continue;
    const where = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} and ${allowed.at(-1)}`;
    return { ok: false, message: `--${name} does not apply to ${command}; it is for ${where}${WHY[name] === undefined ? '' : ` (${WHY[name]})`}` };
  }
  return { ok: true, command, positionals: positionals.slice(commandWords(command)), values };
}

const EXAMPLES: Readonly<Record<string, string>> = {
  config: 'run.yaml',
  project: '.',
  'plugin-path': './my-plugin',
  'plugin-dir': './plugins',
  journal: 'trading-orchestrator.db',
  report: 'report.html',
  bars: '60',
  what: 'trades',
  strategy: 'ma-crossover',
  format: 'csv',
  cuts: '10',
  workers: '2',
  queue: 'redis://127.0.0.1:6379',
  'lock-ms': '30000',
  'control-file': '.trading-orchestrator/control-paper.yaml.json',
};

const WHY: Readonly<Record<string, string>> = {
  bars: 'a backtest runs from start to end in its config; shorten those to run fewer bars',
  'new-session': 'a backtest always starts a new run',
};
