import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, HookTimedOutError, IncompatibleApiError, ManifestInvalidError } from './errors.js';
import { hasErrorCode, isPluginError } from './plugin-error.js';
import { formatPath, joinPath } from './problem.js';

describe('plugin errors', () => {
  it('carry a code, a path and a fix hint', () => {
    const error = new ManifestInvalidError('manifest of "x" is invalid', {
      path: '/app/node_modules/x/package.json',
      problems: [{ path: 'trading-orchestrator.plugin.id', message: 'is required', severity: 'error' }],
    });
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.name).toBe('ManifestInvalidError');
    expect(error.path).toBe('/app/node_modules/x/package.json');
    expect(error.describe()).toBe(
      [
        'manifest of "x" is invalid',
        '  - trading-orchestrator.plugin.id: is required',
        '  fix: correct the listed fields of "trading-orchestrator.plugin" in the package.json, then reinstall the package',
      ].join('\n'),
    );
  });

  it('are recognised by brand, not instanceof, so copies from other packages count', () => {
    const error = new HookTimedOutError('hook "onBar" of "rsi" timed out after 50 ms', { hook: 'onBar', timeoutMs: 50, pluginId: 'rsi' });
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('trading-orchestrator.plugin-error')]: true,
      code: 'HOOK_FAILED',
    });
    expect(isPluginError(error)).toBe(true);
    expect(isPluginError(foreign)).toBe(true);
    expect(isPluginError(new Error('plain'))).toBe(false);
    expect(isPluginError({ code: 'HOOK_FAILED' })).toBe(false);
    expect(hasErrorCode(error, 'HOOK_TIMED_OUT')).toBe(true);
    expect(hasErrorCode(error, 'HOOK_FAILED')).toBe(false);
    expect(error.hint).toContain('"onBar"');
  });

  it('keep the cause and the extra facts of each kind', () => {
    const cause = new Error('low level');
    const incompatible = new IncompatibleApiError('needs plugin API ^2.0.0, host has 1.4.0', {
      wanted: '^2.0.0',
      hostVersion: '1.4.0',
      hint: 'upgrade @trading-orchestrator/runner',
      cause,
    });
    expect(incompatible.cause).toBe(cause);
    expect([incompatible.wanted, incompatible.hostVersion]).toEqual(['^2.0.0', '1.4.0']);
    expect(new ConfigInvalidError('bad', {}).problems).toEqual([]);
  });
});

describe('paths', () => {
  it('read like the file they point into', () => {
    expect(formatPath(['strategies', 0, 'config', 'period'])).toBe('strategies[0].config.period');
    expect(formatPath(['dependencies', 'risk-var'])).toBe('dependencies.risk-var');
    expect(formatPath(['symbols', 'BTC/USDT'])).toBe('symbols["BTC/USDT"]');
    expect(formatPath([])).toBe('(root)');
    expect(joinPath('a.b', '(root)')).toBe('a.b');
    expect(joinPath('a', '[2].c')).toBe('a[2].c');
    expect(joinPath('', 'x')).toBe('x');
  });
});
