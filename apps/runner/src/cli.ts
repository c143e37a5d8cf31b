#!/usr/bin/env node
import module from 'node:module';
import { enableTimings, markTime, renderTimings } from './cli/timings.js';

// V8 keeps the code it compiled between runs (Node 22.1 and later; in the system's temporary folder): a short
// backtest reaches its first bar about 100 ms sooner from the second run on. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
enableTimings(process.env);
const { main } = await import('./main.js');
markTime('modules loaded');

// `trading-orchestrator journal export 1 | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env });
markTime('done');
const timings = renderTimings();
if (timings !== undefined) process.stderr.write(`${timings}\n`);
process.exitCode = code;
// Everything is written and closed. A plugin's request still in flight (one a Ctrl-C cut short) or a timer it left
// must not keep the process alive after its run ended.
setTimeout(() => process.exit(code), 1_000).unref();
