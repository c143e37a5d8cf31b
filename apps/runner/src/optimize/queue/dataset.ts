import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RunConfig } from '../../config/run-config.js';
import type { OptimizeSection } from '../optimize-config.js';
import type { SharedSeries } from '../bar-columns.js';
import type { Tunable } from '../sweep-space.js';

/** What a worker on another machine needs to run a sweep's trials: the run, where each searched setting goes, the bars. */
export interface Dataset {
  readonly config: RunConfig;
  readonly optimize: OptimizeSection;
  readonly file: string;
  readonly targets: readonly [string, { readonly entry: Tunable; readonly key: string }][];
  readonly series: readonly SharedSeries[];
}

const KEY = (hash: string) => `trading-orchestrator:dataset:${hash}`;
/** Datasets are dropped a week after they were last stored or read. */
const TTL_SECONDS = 7 * 86_400;

/**
 * Stores a dataset under the hash of its content, once: a second sweep on the same run and bars (or a resumed one)
 * finds it there, and workers fetch it once per hash, not once per trial.
 */
export async function storeDataset(redis: Redis, dataset: Dataset): Promise<string> {
  const meta = JSON.stringify({ config: dataset.config, optimize: dataset.optimize, file: dataset.file, targets: dataset.targets, series: dataset.series.map(({ buffer: _, ...s }) => s) });
  const hash = createHash('sha256');
  hash.update(meta);
  for (const s of dataset.series) hash.update(new Uint8Array(s.buffer));
  const id = hash.digest('hex').slice(0, 32);
  const key = KEY(id);
  if ((await redis.exists(key)) === 0) {
    const fields: (string | Buffer)[] = ['meta', meta];
    dataset.series.forEach((s, i) => fields.push(`series:${i}`, Buffer.from(s.buffer)));
    await redis.hset(key, ...fields);
  }
  await redis.expire(key, TTL_SECONDS);
  return id;
}

/** A stored dataset, its bars in shared memory again; undefined when it is not (or no longer) there. */
export async function loadDataset(redis: Redis, id: string): Promise<Dataset | undefined> {
  const key = KEY(id);
  const meta = await redis.hget(key, 'meta');
  if (meta === null) return undefined;
  const parsed = JSON.parse(meta) as Omit<Dataset, 'series'> & { series: Omit<SharedSeries, 'buffer'>[] };
  const series: SharedSeries[] = [];
  for (const [i, s] of parsed.series.entries()) {
    const bytes = await redis.hgetBuffer(key, `series:${i}`);
    if (bytes === null) return undefined;
    const buffer = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    series.push({ ...s, buffer });
  }
  await redis.expire(key, TTL_SECONDS);
  return { ...parsed, series };
}
