import { main } from '../src/main.js';

/** Runs the CLI in-process from `cwd` with an empty environment and returns what it printed. */
export async function runCli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return startCli(cwd, ...argv).done;
}

/** `runCli`, with what it has written to stderr so far readable while it runs. */
export function startCli(cwd: string, ...argv: string[]): { done: Promise<{ code: number; out: string; err: string }>; err: () => string } {
  return startCliWithEnv(cwd, {}, ...argv);
}

/** `startCli` with environment variables (what `${VAR}` in a run file reads). */
export function startCliWithEnv(cwd: string, env: Readonly<Record<string, string>>, ...argv: string[]): { done: Promise<{ code: number; out: string; err: string }>; err: () => string } {
  let out = '';
  let err = '';
  const done = main(argv, { cwd, env, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }).then((code) => ({ code, out, err }));
  return { done, err: () => err };
}
