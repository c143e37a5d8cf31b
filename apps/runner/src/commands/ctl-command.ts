import { resolve } from 'node:path';
import type { OptionValues } from '../cli/arguments.js';
import type { Io } from '../cli/io.js';
import { controlFilePath, readControlFile } from '../control/control-file.js';

const ACTIONS = ['status', 'positions', 'orders', 'signals', 'denials', 'plugins', 'health', 'risk', 'shadow', 'halt', 'resume', 'flatten', 'stop', 'disable', 'enable', 'reload', 'dashboard'] as const;
type Action = (typeof ACTIONS)[number];

const iso = (t: unknown) => (typeof t === 'number' ? new Date(t).toISOString().replace('.000Z', 'Z') : '-');

function describe(action: Action, body: unknown): string {
  if (action === 'status') {
    const s = body as { mode: string; bars: number; lastBarTime: number | null; equity: number | null; halted: boolean; haltedBecause?: string; positions: number; plugins: { id: string; kind: string; state: string; failures: number; failure?: string }[] };
    return [
      `${s.mode} session: ${s.bars} bars, the last of ${iso(s.lastBarTime)}; equity ${s.equity === null ? '-' : s.equity.toFixed(2)}; ${s.positions} position${s.positions === 1 ? '' : 's'} open`,
      s.halted ? `entries HALTED (${s.haltedBecause ?? ''}); exits go on` : 'entries allowed',
      ...s.plugins.map((p) => `  ${p.id.padEnd(24)} ${p.kind.padEnd(9)} ${p.state}${p.failures > 0 ? ` (${p.failures} failures${p.failure === undefined ? '' : `: ${p.failure}`})` : ''}`),
    ].join('\n');
  }
  if (action === 'flatten') {
    const f = body as { closing: { strategyId: string; symbol: string; quantity: number; workingOrders: number }[] };
    if (f.closing.length === 0) return 'entries HALTED; nothing was open or working';
    return ['entries HALTED; closing at each symbol\'s next bar:', ...f.closing.map((c) => `  ${c.strategyId} ${c.symbol}: ${c.quantity === 0 ? 'flat' : `holds ${c.quantity}`}${c.workingOrders > 0 ? `, ${c.workingOrders} working order${c.workingOrders === 1 ? '' : 's'} cancelled` : ''}`)].join('\n');
  }
  if (action === 'reload') {
    const r = body as { id: string; from: string; to: string; state: string };
    return `${r.id}: ${r.from === r.to ? `reloaded ${r.to}` : `${r.from} -> ${r.to}`}, ${r.state}`;
  }
  return JSON.stringify(body, null, 2);
}

/** `ctl <action>`: acts on the paper session started from a run file, through its control API. */
export async function ctlCommand(positionals: readonly string[], values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  const action = positionals[0] as Action | undefined;
  if (action === undefined || !ACTIONS.includes(action)) return fail(2, `ctl needs one of ${ACTIONS.join(', ')}${action === undefined ? '' : `, got "${action}"`}`, 'e.g. trading-orchestrator ctl status --config paper.yaml');
  const target = positionals[1];
  if ((action === 'disable' || action === 'enable' || action === 'reload') && target === undefined) return fail(2, `ctl ${action} needs a plugin id, e.g. trading-orchestrator ctl ${action} rsi-mean-reversion --config paper.yaml`);
  if (values['control-file'] === undefined && values.config === undefined) return fail(2, 'ctl needs --config <file> (the run file the session was started with) or --control-file <file>');
  const file = values['control-file'] !== undefined ? resolve(io.cwd, values['control-file']) : controlFilePath(resolve(io.cwd, values.config!));
  const control = readControlFile(file);
  if (control === undefined) return fail(1, `no running session's control file at ${file}`, 'start the paper session (trading-orchestrator paper --config <file>) and name the same file with --config, or the control file with --control-file');
  if (action === 'dashboard') {
    // The token goes after '#': a browser never sends that part, so it stays out of requests and server logs.
    io.stdout.write(`${control.url}/#token=${control.token}\n`);
    return 0;
  }
  const read = ['status', 'positions', 'orders', 'signals', 'denials', 'plugins', 'health', 'risk', 'shadow'].includes(action);
  const path = read ? `/api/${action}${action === 'health' && target !== undefined ? `/${encodeURIComponent(target)}` : ''}` : target === undefined ? `/api/${action}` : `/api/plugins/${encodeURIComponent(target)}/${action}`;
  let response: Response;
  try {
    response = await fetch(`${control.url}${path}`, { method: read ? 'GET' : 'POST', headers: { authorization: `Bearer ${control.token}` }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return fail(1, `the session at ${control.url} did not answer (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`, `it may have ended; ${file} is left from it`);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) return fail(1, body.error ?? `the session answered ${response.status}`);
  io.stdout.write(`${values.json === true ? JSON.stringify(body, null, 2) : describe(action, body)}\n`);
  return 0;
}
