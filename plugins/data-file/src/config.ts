import { TIMEFRAMES } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const fileSourceConfig = z.object({
  /** Relative file paths resolve from here; default: the directory the runner was started in. */
  baseDir: z.string().min(1).optional(),
  files: z
    .array(
      z.object({
        path: z.string().min(1),
        timeframe: z.enum(TIMEFRAMES),
        /** Needed when the file has no symbol column; with one, keeps only that symbol. */
        symbol: z.string().min(1).optional(),
        /** Base-volume column when the file has several volume columns. */
        volumeColumn: z.string().min(1).optional(),
        /** Default: from the extension (.json → json, otherwise csv). */
        format: z.enum(['csv', 'json']).optional(),
      }),
    )
    .min(1),
});

export type FileSourceConfig = z.infer<typeof fileSourceConfig>;
