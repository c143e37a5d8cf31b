import type { EventBus, PluginManager } from '@trading-orchestrator/core-manager';
import type { Journal } from '@trading-orchestrator/journal';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { pastRun, pastRuns } from '../dashboard/past-runs.js';
import { installedPanels } from '../dashboard/panel-frame.js';
import type { RunningSession } from '../commands/run-backtest.js';
import type { Io } from '../cli/io.js';
import type { RunConfig } from '../config/run-config.js';
import { controlFilePath, removeControlFile, writeControlFile } from './control-file.js';
import { startControlServer, type ControlServer } from './control-server.js';
import { HALT_RULE_ID, HaltSwitch } from './halt-switch.js';
import { PluginReloader } from './plugin-reloader.js';
import type { ShadowSummary } from '../format/shadow-summary.js';
import type { SessionHealth } from './session-health.js';
import { SessionView } from './session-view.js';

/**
 * A paper session's control: its halt rule (asked before the risk plugins), a stop that ends it after the bar in
 * progress, and the control API served while its plugins run, reachable through the control file beside the run
 * file (`trading-orchestrator ctl`).
 */
export class SessionControl {
  /** The session's halt rule: a live session's reconciliation uses it too. */
  readonly halt: HaltSwitch;
  private readonly stopper = new AbortController();
  private readonly file: string;

  constructor(
    private readonly config: RunConfig,
    private readonly configFile: string,
    private readonly io: Io,
    private readonly shadow: ShadowSummary,
    private readonly extras: { readonly health?: SessionHealth; readonly catalog?: PluginCatalog; readonly journal?: Journal; readonly rediscover?: () => Promise<PluginCatalog>; readonly halt?: HaltSwitch } = {},
  ) {
    this.halt = extras.halt ?? new HaltSwitch();
    this.file = controlFilePath(configFile);
  }

  /** Aborted by `ctl stop`. */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  /** Whether the session ended because `ctl stop` asked it to. */
  get stopRequested(): boolean {
    return this.stopper.signal.aborted;
  }

  get hostRisk() {
    return { id: HALT_RULE_ID, plugin: this.halt.plugin() };
  }

  /** Serves the control API from now until the returned function is called. */
  attach(bus: EventBus, manager: PluginManager, session: RunningSession): () => void {
    const view = new SessionView(this.shadow);
    const offView = view.attach(bus);
    let server: ControlServer | undefined;
    let closed = false;
    const { host, port } = this.config.control;
    const { health, catalog, journal, rediscover } = this.extras;
    const reloader = rediscover === undefined || session.reload === undefined ? undefined : new PluginReloader(manager, rediscover, session.reload, this.config.control.maxReloads);
    const panels = catalog === undefined ? { panels: [], problems: [] } : installedPanels(catalog);
    for (const problem of panels.problems) this.io.stderr.write(`warning: ${problem}\n`);
    const controlled = {
      mode: this.config.mode,
      manager,
      bus,
      view,
      halt: this.halt,
      stop: () => this.stopper.abort(),
      now: () => Date.now(),
      portfolio: () => session.portfolio(),
      health: () => health?.monitor?.summary() ?? [],
      healthHistory: (id: string) => health?.monitor?.reports(id) ?? [],
      readOnly: this.config.mode === 'backtest',
      panels: panels.panels,
      ...(session.alert === undefined ? {} : { alert: session.alert }),
      ...(session.flatten === undefined ? {} : { flatten: session.flatten }),
      ...(reloader === undefined ? {} : { reload: (id: string) => reloader.reload(id) }),
      ...(journal === undefined ? {} : { runs: { list: () => pastRuns(journal), get: (id: number) => pastRun(journal, id) } }),
    };
    const starting = startControlServer(controlled, { host, port })
      .then((s) => {
        server = s;
        if (closed) return void s.close();
        writeControlFile(this.file, { url: s.url, token: s.token, pid: process.pid, config: this.configFile });
        this.io.stderr.write(`control API on ${s.url} (token in ${this.file}, readable by you alone): trading-orchestrator ctl status|halt|resume|flatten|stop|disable <id>|enable <id>|reload <id>|dashboard --config ${this.configFile}\n`);
        // The one time the token is printed: the dashboard's link carries it after '#', which no request sends.
        this.io.stderr.write(`dashboard: ${s.url}/#token=${s.token}\n`);
      })
      .catch((error: unknown) => this.io.stderr.write(`warning: the control API could not start on ${host}:${port} (${(error as Error).message}); the session goes on without it\n`));
    return () => {
      closed = true;
      offView();
      removeControlFile(this.file);
      void starting.then(() => server?.close());
    };
  }
}
