#!/usr/bin/env node
import { main } from './main.js';

// `trading-orchestrator journal export 1 | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
// Everything is written and closed. A plugin's request still in flight (one a Ctrl-C cut short) or a timer it left
// must not keep the process alive after its run ended.
setTimeout(() => process.exit(code), 1_000).unref();
