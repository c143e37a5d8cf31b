import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTimeframe, timeframeToMs } from './domain/timeframe.js';
import { PLUGIN_API_VERSION } from './version.js';

describe('PLUGIN_API_VERSION', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PLUGIN_API_VERSION).toBe(pkg.version);
  });
});

describe('timeframes', () => {
  it('know their length', () => {
    expect(timeframeToMs('15m')).toBe(900_000);
    expect(timeframeToMs('1d')).toBe(86_400_000);
    expect(isTimeframe('4h')).toBe(true);
    expect(isTimeframe('4H')).toBe(false);
    expect(isTimeframe('toString')).toBe(false);
  });
});
