import type { Bar, ExternalAlert, Timeframe } from '@trading-orchestrator/plugin-api';

/** One configured strategy instance, as the router sees it. */
export interface StrategyRoute {
  readonly instanceId: string;
  /** The strategy plugin's id (from its manifest); several instances may share it. */
  readonly strategy: string;
  /** Absent: every timeframe. */
  readonly timeframes?: readonly Timeframe[];
  /** Absent: every symbol. */
  readonly symbols?: readonly string[];
  /** Receives the same data; its signals are recorded and compared, never traded. */
  readonly shadow: boolean;
  /** Whether the instance can take alerts (implements `onAlert`). */
  readonly acceptsAlerts: boolean;
}

export type AlertRouteRule = 'plugin-hint' | 'strategy-and-timeframe' | 'strategy' | 'none';

export interface AlertRoute {
  readonly rule: AlertRouteRule;
  readonly targets: readonly StrategyRoute[];
}

function covers<T>(list: readonly T[] | undefined, value: T | undefined): boolean {
  return list === undefined || value === undefined || list.includes(value);
}

/**
 * Decides which strategy instances receive what. Bars go to every instance whose symbols and timeframes cover
 * them (answered from a cache, so the per-bar path allocates nothing after the first bar of a series). Alerts
 * go by explicit plugin hint, then strategy + timeframe, then strategy alone; `broadcast` sends one to every
 * capable instance. Shadow instances are routed like the others; `isShadow` tells the engine not to trade them.
 */
export class SignalRouter {
  private readonly byId: ReadonlyMap<string, StrategyRoute>;
  private readonly barTargets = new Map<string, readonly StrategyRoute[]>();
  /** The series asked about last: consecutive bars usually belong to it, and then no key is built. */
  private lastSymbol: string | undefined;
  private lastTimeframe: Timeframe | undefined;
  private lastTargets: readonly StrategyRoute[] = [];

  constructor(private readonly routes: readonly StrategyRoute[]) {
    this.byId = new Map(routes.map((r) => [r.instanceId, r]));
  }

  forBar(bar: Pick<Bar, 'symbol' | 'timeframe'>): readonly StrategyRoute[] {
    if (bar.symbol === this.lastSymbol && bar.timeframe === this.lastTimeframe) return this.lastTargets;
    const key = `${bar.symbol}\u0000${bar.timeframe}`;
    let targets = this.barTargets.get(key);
    if (targets === undefined) {
      targets = this.routes.filter((r) => covers(r.symbols, bar.symbol) && covers(r.timeframes, bar.timeframe));
      this.barTargets.set(key, targets);
    }
    this.lastSymbol = bar.symbol;
    this.lastTimeframe = bar.timeframe;
    this.lastTargets = targets;
    return targets;
  }

  route(alert: ExternalAlert): AlertRoute {
    const capable = (r: StrategyRoute) => r.acceptsAlerts && covers(r.symbols, alert.symbol);
    if (alert.pluginHint !== undefined) {
      const hinted = this.byId.get(alert.pluginHint);
      if (hinted !== undefined && capable(hinted)) return { rule: 'plugin-hint', targets: [hinted] };
    }
    if (alert.strategy !== undefined) {
      const sameStrategy = this.routes.filter((r) => r.strategy === alert.strategy && capable(r));
      if (alert.timeframe !== undefined) {
        const exact = sameStrategy.filter((r) => r.timeframes?.includes(alert.timeframe!) === true);
        if (exact.length > 0) return { rule: 'strategy-and-timeframe', targets: exact };
      }
      if (sameStrategy.length > 0) return { rule: 'strategy', targets: sameStrategy };
    }
    return { rule: 'none', targets: [] };
  }

  /** Every instance that can take the alert (for comparing strategies on the same input). */
  broadcast(alert: ExternalAlert): readonly StrategyRoute[] {
    return this.routes.filter((r) => r.acceptsAlerts && covers(r.symbols, alert.symbol) && covers(r.timeframes, alert.timeframe));
  }

  isShadow(instanceId: string): boolean {
    return this.byId.get(instanceId)?.shadow ?? false;
  }
}
