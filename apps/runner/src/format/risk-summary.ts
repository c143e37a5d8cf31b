import type { EventBus } from '@trading-orchestrator/core-manager';

/** Orders one risk plugin changed for one reason: how many, one example, and the setting behind it. */
export interface RiskNote {
  readonly pluginId: string;
  readonly action: 'deny' | 'resize';
  readonly code: string;
  count: number;
  /** The first such decision's message. */
  readonly example: string;
  /** Its config key, when the plugin named one (`maxPositionWeight`). */
  readonly setting: string | undefined;
}

/**
 * Counts the risk plugins' denials and resizes by plugin, action and code as the run goes, keeping the first
 * message of each: the terminal can then say why orders were changed and what would change that, for every order
 * (the result's denial list stops at its first thousand). Memory grows with the number of codes, not of orders.
 */
export class RiskTally {
  private readonly notes = new Map<string, RiskNote>();

  attach(bus: EventBus): () => void {
    return bus.subscribe('risk-decision', ({ pluginId, decision }) => {
      if (decision.action === 'allow') return;
      const key = `${pluginId}\u0000${decision.action}\u0000${decision.code}`;
      const note = this.notes.get(key);
      if (note !== undefined) note.count++;
      else this.notes.set(key, { pluginId, action: decision.action, code: decision.code, count: 1, example: decision.message, setting: decision.setting });
    });
  }

  /** Most frequent first. */
  list(): RiskNote[] {
    return [...this.notes.values()].sort((a, b) => b.count - a.count || (a.pluginId < b.pluginId ? -1 : 1));
  }
}

/**
 * The lines the terminal shows for the tally: per plugin and code, the count, an example message, and the setting
 * that governs it as a path in the run file (`risk[1].config.maxPositionWeight`).
 */
export function renderRiskNotes(notes: readonly RiskNote[], configPathOf: (pluginId: string) => string | undefined): string[] {
  if (notes.length === 0) return [];
  const denied = notes.filter((n) => n.action === 'deny').reduce((s, n) => s + n.count, 0);
  const resized = notes.filter((n) => n.action === 'resize').reduce((s, n) => s + n.count, 0);
  const head = [denied > 0 ? `${denied} denied` : '', resized > 0 ? `${resized} resized` : ''].filter((x) => x !== '').join(', ');
  const lines = [`risk plugins changed orders (${head}):`];
  for (const n of notes) {
    const path = configPathOf(n.pluginId);
    const where = n.setting === undefined ? '' : `; the limit is ${path === undefined ? n.setting : `${path}.config.${n.setting}`}`;
    lines.push(`  ${n.pluginId} ${n.action === 'deny' ? 'denied' : 'resized'} ${n.count} × ${n.code}: e.g. ${n.example}${where}`);
  }
  return lines;
}
