import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from './manifest-json-schema.js';
import { readManifestField, validateManifest } from './validate-manifest.js';

const valid = {
  id: 'rsi-mean-reversion',
  kind: 'strategy',
  api: '^1.0.0',
  entry: './dist/index.js',
  displayName: 'RSI mean reversion',
  capabilities: { timeframes: ['1h', '1d'], markets: ['crypto'] },
  dependencies: { 'risk-var': '>=1.2.0' },
};

describe('validateManifest', () => {
  it('accepts a complete manifest and returns it typed', () => {
    const result = validateManifest(valid);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    if (result.ok) expect(result.manifest.capabilities?.timeframes).toEqual(['1h', '1d']);
  });

  it('reports every missing required field at once, by its path in package.json', () => {
    const result = validateManifest({});
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'trading-orchestrator.plugin.id: is required',
      'trading-orchestrator.plugin.kind: is required',
      'trading-orchestrator.plugin.api: is required',
      'trading-orchestrator.plugin.entry: is required',
    ]);
  });

  it('takes a panel with the topics it reads, and refuses a panel without them or a topic it cannot have', () => {
    const panel = { id: 'correlation-panel', kind: 'panel', api: '^1.1.0', entry: './dist/panel.js' };
    expect(validateManifest({ ...panel, panel: { topics: ['risk-figures'], height: 320 } }).ok).toBe(true);
    const at = (m: unknown) => validateManifest(m).problems.map((p) => `${p.path}: ${p.message}`);
    expect(at(panel)).toEqual(['trading-orchestrator.plugin.panel: a panel declares the topics it reads: "panel": {"topics": ["equity"]}']);
    expect(at({ ...panel, panel: { topics: ['token'] } })[0]).toMatch(/^trading-orchestrator\.plugin\.panel\.topics\[0\]: must be one of bar, equity, position, order/);
    expect(at({ ...valid, panel: { topics: ['equity'] } })).toEqual(['trading-orchestrator.plugin.panel: only a panel has a "panel" section; this plugin\'s kind is strategy']);
  });

  it('explains a bad id, kind, api range and entry', () => {
    const result = validateManifest({ id: 'RSI_Strategy', kind: 'strat', api: 'one', entry: '../outside.js' });
    const messagesAt = (field: string) => result.problems.filter((p) => p.path === `trading-orchestrator.plugin.${field}`).map((p) => p.message);
    expect(messagesAt('id')).toEqual(['use lowercase letters, digits and single dashes, starting with a letter (e.g. "rsi-mean-reversion")']);
    expect(messagesAt('kind')).toEqual(['must be one of strategy, data, risk, indicator, broker, notifier, panel']);
    expect(messagesAt('api')).toEqual(['must be a semver range such as "^1.0.0"']);
    expect(messagesAt('entry')).toEqual([
      'must be a path relative to the package root starting with "./" (e.g. "./dist/index.js")',
      'must stay inside the package (no "..")',
    ]);
  });

  it('points into nested fields', () => {
    const result = validateManifest({ ...valid, capabilities: { timeframes: ['1h', '7m'] }, dependencies: { 'risk-var': 'latest!' } });
    expect(result.problems.map((p) => p.path)).toEqual([
      'trading-orchestrator.plugin.capabilities.timeframes[1]',
      'trading-orchestrator.plugin.dependencies.risk-var',
    ]);
  });

  it('warns about unknown fields but still accepts the manifest', () => {
    const result = validateManifest({ ...valid, icon: 'x.png', capabilities: { markets: ['fx'], latency: 'low' } });
    expect(result.ok).toBe(true);
    expect(result.problems.map((p) => [p.path, p.severity])).toEqual([
      ['trading-orchestrator.plugin.icon', 'warning'],
      ['trading-orchestrator.plugin.capabilities.latency', 'warning'],
    ]);
  });

  it('rejects a manifest that is not an object', () => {
    const result = validateManifest('strategy');
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.path).toBe('trading-orchestrator.plugin');
  });
});

describe('readManifestField', () => {
  it('finds the nested field and ignores packages without it', () => {
    expect(readManifestField({ name: 'x', 'trading-orchestrator': { plugin: valid } })).toBe(valid);
    expect(readManifestField({ name: 'left-pad' })).toBeUndefined();
    expect(readManifestField({ 'trading-orchestrator': 'yes' })).toBeUndefined();
    expect(readManifestField(null)).toBeUndefined();
  });
});

describe('manifestJsonSchema', () => {
  it('describes the manifest for editors', () => {
    const schema = manifestJsonSchema() as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(schema.required).toEqual(['id', 'kind', 'api', 'entry']);
    expect(schema.properties.kind?.enum).toEqual(['strategy', 'data', 'risk', 'indicator', 'broker', 'notifier', 'panel']);
  });
});
