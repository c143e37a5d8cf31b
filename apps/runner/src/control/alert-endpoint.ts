import type { IncomingMessage } from 'node:http';
import { isTimeframe, TIMEFRAMES, type ExternalAlert, type Timeframe } from '@trading-orchestrator/plugin-api';
import { HttpError } from './http-error.js';

/** The most an alert's body may hold. */
const ALERT_BYTES = 64 * 1024;

/**
 * Reads an external alert: JSON such as TradingView's alert message, `{ "strategy": "…", "symbol": "BTC/USDT",
 * "timeframe": "1h", "action": "buy", … }`, with `plugin` naming one strategy instance outright. The whole body
 * (its token left out) is the strategy's `payload`. `authorise` is given the body's `token` field, for senders that
 * cannot set headers (TradingView's webhooks); it is called before anything about the alert is answered.
 */
export async function readAlert(req: IncomingMessage, authorise: (bodyToken: unknown) => void, now: number): Promise<ExternalAlert> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > ALERT_BYTES) throw new HttpError(413, `an alert may hold ${ALERT_BYTES / 1024} KB at most`);
    chunks.push(chunk);
  }
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    authorise(undefined);
    throw new HttpError(400, 'an alert is a JSON object, e.g. {"strategy": "ma-crossover", "symbol": "BTC/USDT", "action": "buy"}');
  }
  authorise(body.token);
  const { token: _, ...payload } = body;
  const text = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined);
  const timeframe = text('timeframe');
  if (timeframe !== undefined && !isTimeframe(timeframe)) throw new HttpError(400, `timeframe "${timeframe}" is not one of ${TIMEFRAMES.join(', ')}`);
  return {
    source: `webhook from ${req.socket.remoteAddress ?? 'unknown'}`,
    time: now,
    payload,
    ...(text('plugin') === undefined ? {} : { pluginHint: text('plugin')! }),
    ...(text('strategy') === undefined ? {} : { strategy: text('strategy')! }),
    ...(timeframe === undefined ? {} : { timeframe: timeframe as Timeframe }),
    ...(text('symbol') === undefined ? {} : { symbol: text('symbol')! }),
  };
}
