import type { Exchange } from 'ccxt';
import type { VenueTrade } from './order-map.js';
import { sleep } from './sleep.js';


/** The longest wait before subscribing again after the stream failed. */
const MAX_BACKOFF_MS = 30_000;

/**
 * The account's trades from the venue's private stream (ccxt pro's watchMyTrades: Binance's user data stream), each
 * handed to `onTrade` as it comes. A dropped or refused stream is said once and subscribed again with a growing
 * wait; what it missed meanwhile the broker's polling finds. Repeats and reordering are the receiver's to handle
 * (it de-duplicates by trade id).
 */
export class PrivateStream {
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private healthy = true;

  constructor(
    private readonly streamer: Exchange,
    private readonly onTrade: (trade: VenueTrade) => void,
    private readonly say: (problem: string | undefined) => void,
  ) {}

  start(signal: AbortSignal): void {
    this.running = this.follow(AbortSignal.any([signal, this.stopping.signal]));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // Closing the sockets rejects the pending watch, which ends the loop.
    await this.streamer.close().catch(() => undefined);
    await this.running;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const trades = (await this.streamer.watchMyTrades()) as unknown as VenueTrade[];
        if (!this.healthy) {
          this.healthy = true;
          this.say(undefined);
        }
        failures = 0;
        for (const trade of trades) this.onTrade(trade);
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        if (this.healthy) {
          this.healthy = false;
          this.say(error instanceof Error ? error.message : String(error));
        }
        await sleep(Math.min(250 * 2 ** failures, MAX_BACKOFF_MS), signal);
      }
    }
  }
}
