import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { OptionValues } from '../cli/arguments.js';
import { discover } from '../cli/discover.js';
import { listenForInterrupts } from '../cli/interrupts.js';
import type { Io } from '../cli/io.js';
import { encodeOutcome } from '../optimize/outcome-codec.js';
import { loadDataset } from '../optimize/queue/dataset.js';
import type { TrialJob } from '../optimize/queue/queue-executor.js';
import { printableUrl, redisOptions, TRIAL_QUEUE } from '../optimize/queue/redis-connection.js';
import { SharedBars } from '../optimize/bar-columns.js';
import { runTrial, type TrialContext } from '../optimize/trial.js';

/**
 * `worker --queue redis://host:port`: runs sweep trials from the queue until Ctrl-C (or SIGTERM), with the plugins
 * installed here. Each dataset (a run and its bars) is fetched from Redis once and kept for the trials that follow.
 */
export async function workerCommand(values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  if (values.queue === undefined) return fail(2, 'worker needs --queue redis://host:port', 'name the Redis the sweep\'s coordinator uses, e.g. trading-orchestrator worker --queue redis://10.0.0.5:6379');
  const connection = redisOptions(values.queue);
  if (connection === undefined) return fail(2, `--queue must be a redis:// URL (redis://[user:password@]host[:port][/db]), got "${printableUrl(values.queue)}"`);
  const lockMs = values['lock-ms'] === undefined ? 30_000 : Number(values['lock-ms']);
  if (!(Number.isInteger(lockMs) && lockMs >= 1_000)) return fail(2, `--lock-ms must be a whole number of at least 1000, got "${values['lock-ms']}"`);
  const { catalog } = await discover(values, io);
  const redis = new Redis({ ...connection, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    return fail(1, `cannot reach Redis at ${printableUrl(values.queue)}: ${(error as Error).message}`, 'start redis-server there, or name the right host and port');
  }
  const contexts = new Map<string, Promise<TrialContext>>();
  const contextOf = (id: string) => {
    let found = contexts.get(id);
    if (found === undefined) {
      found = loadDataset(redis, id).then((d) => {
        if (d === undefined) throw new Error(`dataset ${id} is not in Redis (it expires a week after its sweep last used it); run the sweep again`);
        io.stderr.write(`dataset ${id}: ${d.config.symbols.join(', ')} ${d.config.timeframe}, ${d.series.reduce((n, s) => n + s.length, 0)} bars, fetched once\n`);
        return { config: d.config, optimize: d.optimize, targets: new Map(d.targets), catalog, file: d.file, bars: new SharedBars(d.series) };
      });
      found.catch(() => contexts.delete(id));
      contexts.set(id, found);
    }
    return found;
  };
  const worker = new Worker<TrialJob>(
    TRIAL_QUEUE,
    async (job) => {
      io.stderr.write(`trial ${job.id} started\n`);
      const outcome = await runTrial(await contextOf(job.data.dataset), job.data.values, job.data.span);
      io.stderr.write(`trial ${job.id} ${outcome.status}\n`);
      return encodeOutcome(outcome);
    },
    // A worker that dies holding a trial stops renewing its lock; after lockMs another worker's stall check
    // takes the trial over (a few times at most, so a trial that kills every worker fails instead of looping).
    { connection, concurrency: 1, lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)), maxStalledCount: 5 },
  );
  const interrupts = listenForInterrupts((line) => io.stderr.write(`\n${line}\n`), () => undefined);
  const stopped = new Promise<void>((resolve) => {
    interrupts.signal.addEventListener('abort', () => resolve(), { once: true });
    process.once('SIGTERM', () => resolve());
  });
  await worker.waitUntilReady();
  io.stderr.write(`worker ready on ${printableUrl(values.queue)} (queue ${TRIAL_QUEUE}); Ctrl-C stops it\n`);
  try {
    await stopped;
    io.stderr.write('stopping: the trial in progress finishes first\n');
    await worker.close();
    return 0;
  } finally {
    interrupts.dispose();
    redis.disconnect();
  }
}
