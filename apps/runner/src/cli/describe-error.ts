import { isPluginError } from '@trading-orchestrator/plugin-api';

/**
 * An error as the person at the terminal reads it: what went wrong and the fix, never a stack trace. An error
 * nobody foresaw says so and asks for a report; `TRADING_ORCHESTRATOR_DEBUG=1` adds its stack for that report.
 */
export function describeError(error: unknown, env: Readonly<Record<string, string | undefined>>): string {
  if (isPluginError(error)) return error.describe();
  const message = error instanceof Error ? error.message : String(error);
  const fix = (error as { fix?: unknown } | null)?.fix;
  if (typeof fix === 'string') return `${message}\n  fix: ${fix}`;
  if ((error as { code?: unknown } | null)?.code === 'RUN_INTERRUPTED' || (error as { known?: unknown } | null)?.known === true) return message;
  const stack = env['TRADING_ORCHESTRATOR_DEBUG'] !== undefined && error instanceof Error ? `\n${error.stack ?? ''}` : '';
  return `${message}\n  this is a bug in trading-orchestrator or one of its plugins: please report it with the command you ran (TRADING_ORCHESTRATOR_DEBUG=1 adds the details a report needs)${stack}`;
}
