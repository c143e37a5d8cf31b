import { isTimeZone } from '@trading-orchestrator/market-data';
import { TIMEFRAMES } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

const columnName = z.string().min(1);

export const fileSourceConfig = z.object({
  /** Relative file paths resolve from here; a relative baseDir from the run file's folder. Default: the run file's folder. */
  baseDir: z.string().min(1).optional(),
  files: z
    .array(
      z.object({
        /** The CSV or JSON file, relative to baseDir. */
        path: z.string().min(1),
        timeframe: z.enum(TIMEFRAMES),
        /** Needed when the file has no symbol column; with one, keeps only that symbol. */
        symbol: z.string().min(1).optional(),
        /** Base-volume column when the file has several volume columns. */
        volumeColumn: z.string().min(1).optional(),
        /** Default: from the extension (.json → json, otherwise csv). */
        format: z.enum(['csv', 'json']).optional(),
        /** CSV field separator; default: found from the header (comma, semicolon, tab or pipe). */
        delimiter: z.enum([',', ';', '\t', '|']).optional(),
        /** Decimal mark of the numbers: "." (default) or "," (European spreadsheets). */
        decimal: z.enum(['.', ',']).optional(),
        /** Header names of the fields when the loader does not recognise them, e.g. { time: Datum, close: Schluss }. */
        columns: z
          .object({ time: columnName, open: columnName, high: columnName, low: columnName, close: columnName, volume: columnName, symbol: columnName })
          .partial()
          .optional(),
        /** IANA time zone of clock times written without an offset (default UTC), e.g. America/New_York. */
        timeZone: z.string().refine(isTimeZone, { message: 'not a time zone this Node knows; use an IANA name such as America/New_York, Europe/London or UTC' }).optional(),
      }),
    )
    .min(1),
});

export type FileSourceConfig = z.infer<typeof fileSourceConfig>;
