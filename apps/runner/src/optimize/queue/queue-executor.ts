import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { paramsKey } from '@trading-orchestrator/research';
import { Redis } from 'ioredis';
import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { decodeOutcome } from '../outcome-codec.js';
import type { TrialExecutor } from '../trial-executor.js';
import type { TrialSpan } from '../trial.js';
import { storeDataset, type Dataset } from './dataset.js';
import { redisOptions, TRIAL_QUEUE } from './redis-connection.js';

/** What a trial job carries: the dataset's hash, the values and the span. The bars are in the dataset. */
export interface TrialJob {
  readonly dataset: string;
  readonly values: ParamValues;
  readonly span: TrialSpan;
}

/**
 * Trials as BullMQ jobs on Redis, run by `trading-orchestrator worker` processes on any machine. A job's id is the
 * sweep's id and the trial itself (its values and span), so a trial enqueued again (by a resumed coordinator) is the
 * same job, never a second one; a worker that dies mid-trial stops renewing its lock, and BullMQ hands the job to
 * another worker.
 */
export async function queueExecutor(url: string, sweepId: string, dataset: Dataset, inFlight: number): Promise<TrialExecutor & { readonly datasetId: string }> {
  const connection = redisOptions(url)!;
  const redis = new Redis({ ...connection, lazyConnect: true });
  await redis.connect();
  const datasetId = await storeDataset(redis, dataset);
  const queue = new Queue<TrialJob>(TRIAL_QUEUE, { connection });
  const events = new QueueEvents(TRIAL_QUEUE, { connection });
  await events.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    datasetId,
    parallel: inFlight,
    async run(values, span) {
      const trial = createHash('sha256').update(`${paramsKey(values)}|${span.start}|${span.end}|${span.tradeFrom ?? ''}`).digest('hex').slice(0, 24);
      const job = await queue.add('trial', { dataset: datasetId, values, span }, { jobId: `${sweepId}-${trial}`, attempts: 1, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } });
      return decodeOutcome(await job.waitUntilFinished(events));
    },
    close() {
      closing ??= Promise.allSettled([events.close(), queue.close()]).then(() => redis.disconnect());
      return closing;
    },
  };
}
