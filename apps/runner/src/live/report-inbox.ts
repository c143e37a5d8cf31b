import type { BrokerReports } from '@trading-orchestrator/core-manager';
import type { Fill, Order } from '@trading-orchestrator/plugin-api';

type Report = { readonly kind: 'fill'; readonly fill: Fill } | { readonly kind: 'order'; readonly order: Order } | { readonly kind: 'connection'; readonly state: 'down' | 'up'; readonly detail: string | undefined };

/**
 * Takes a live session's broker reports from the moment the broker starts, and holds them until the session can book
 * them (after its warm-up, its checkpoint restored): a fill the venue reports during start-up is neither lost nor
 * published unbooked. Once delivering, reports go straight through.
 */
export class ReportInbox implements BrokerReports {
  private held: Report[] | undefined = [];
  private receiver: BrokerReports | undefined;

  fill(pluginId: string, fill: Fill): void {
    if (this.receiver !== undefined) this.receiver.fill(pluginId, fill);
    else this.held?.push({ kind: 'fill', fill });
  }

  order(pluginId: string, order: Order): void {
    if (this.receiver !== undefined) this.receiver.order(pluginId, order);
    else this.held?.push({ kind: 'order', order });
  }

  connection(pluginId: string, state: 'down' | 'up', detail: string | undefined): void {
    if (this.receiver !== undefined) this.receiver.connection(pluginId, state, detail);
    else this.held?.push({ kind: 'connection', state, detail });
  }

  /** Hands what was held to `receiver`, in the order it came, then every later report as it comes. */
  deliverTo(pluginId: string, receiver: BrokerReports): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const r of held) {
      if (r.kind === 'fill') receiver.fill(pluginId, r.fill);
      else if (r.kind === 'order') receiver.order(pluginId, r.order);
      else receiver.connection(pluginId, r.state, r.detail);
    }
    this.receiver = receiver;
  }

  /** Stops delivering; later reports are dropped (the session is closing; reconciliation at its next start finds them). */
  close(): void {
    this.receiver = undefined;
    this.held = undefined;
  }
}
