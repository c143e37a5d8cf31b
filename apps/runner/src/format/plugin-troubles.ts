import type { EventBus } from '@trading-orchestrator/core-manager';

interface Count {
  count: number;
  readonly example: string;
}

/** What went wrong with one plugin during a run. */
interface Trouble {
  /** By hook: failures (throws, rejections, bad answers, time-outs) and the first one's message. */
  readonly failures: Map<string, Count>;
  /** By hook: calls past the soft time limit. */
  readonly slow: Map<string, number>;
  /** By refusal code: bars the host refused from this data plugin. */
  readonly refused: Map<string, Count>;
  dropped: number;
  /** Why it is out of the run at the end (disabled, failed), or undefined while it is in. */
  out: string | undefined;
}

const when = (t: number | undefined) => (t === undefined ? '' : ` at ${new Date(t).toISOString().replace(':00.000Z', 'Z')}`);

/**
 * Every plugin failure, refusal and breaker trip of a run, counted by plugin as it happens: the terminal then says
 * which plugins misbehaved and how, and a strategy that was taken out of the run says so in its row. Memory grows
 * with the number of plugins and hooks, not with the failures.
 */
export class PluginTroubles {
  private readonly byPlugin = new Map<string, Trouble>();

  private of(pluginId: string): Trouble {
    let t = this.byPlugin.get(pluginId);
    if (t === undefined) this.byPlugin.set(pluginId, (t = { failures: new Map(), slow: new Map(), refused: new Map(), dropped: 0, out: undefined }));
    return t;
  }

  attach(bus: EventBus): () => void {
    const off = [
      bus.subscribe('hook-failure', (e) => {
        const failures = this.of(e.pluginId).failures;
        const c = failures.get(e.hook);
        if (c !== undefined) c.count++;
        else failures.set(e.hook, { count: 1, example: e.error.message });
      }),
      bus.subscribe('hook-slow', (e) => {
        const slow = this.of(e.pluginId).slow;
        slow.set(e.hook, (slow.get(e.hook) ?? 0) + 1);
      }),
      bus.subscribe('events-dropped', (e) => {
        this.of(e.pluginId).dropped += e.dropped;
      }),
      bus.subscribe('bar-refused', (e) => {
        const refused = this.of(e.pluginId).refused;
        const c = refused.get(e.code);
        if (c !== undefined) c.count++;
        else refused.set(e.code, { count: 1, example: `${e.symbol}: ${e.message}${when(e.time)}` });
      }),
      bus.subscribe('lifecycle', (t) => {
        if (t.to === 'disabled' || t.to === 'error') this.of(t.pluginId).out = `${t.to === 'disabled' ? 'disabled' : 'failed'}: ${t.reason}`;
        else if (t.to === 'active' && this.byPlugin.has(t.pluginId)) this.of(t.pluginId).out = undefined;
      }),
    ];
    return () => {
      for (const o of off) o();
    };
  }

  /** Plugins taken out of the run and why (for their rows in the summary). */
  outOfRun(): ReadonlyMap<string, string> {
    return new Map([...this.byPlugin].flatMap(([id, t]) => (t.out === undefined ? [] : [[id, t.out] as const])));
  }

  /** The terminal's lines: one per plugin with something to say. */
  lines(): string[] {
    const lines: string[] = [];
    for (const [id, t] of [...this.byPlugin].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const parts: string[] = [];
      for (const [hook, c] of t.failures) parts.push(`${hook} failed ${c.count} time${c.count === 1 ? '' : 's'} (e.g. ${c.example})`);
      for (const [hook, n] of t.slow) parts.push(`${hook} ran past its soft time limit ${n} time${n === 1 ? '' : 's'}`);
      const refused = [...t.refused.values()].reduce((n, c) => n + c.count, 0);
      if (refused > 0) parts.push(`${refused} bar${refused === 1 ? '' : 's'} refused: ${[...t.refused].map(([code, c]) => `${c.count} × ${code} (e.g. ${c.example})`).join(', ')}`);
      if (t.dropped > 0) parts.push(`${t.dropped} event${t.dropped === 1 ? '' : 's'} dropped over its rate`);
      if (t.out !== undefined) parts.push(t.out);
      if (parts.length > 0) lines.push(`  ${id}: ${parts.join('; ')}`);
    }
    return lines.length === 0 ? [] : ['plugin problems (the journal has each):', ...lines];
  }
}
