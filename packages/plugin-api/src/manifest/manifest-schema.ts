import semver from 'semver';
import { z } from 'zod';
import { TIMEFRAMES } from '../domain/timeframe.js';
import { PLUGIN_KINDS } from '../plugin/kind.js';
import { PANEL_TOPICS } from '../plugin/panel.js';

/** package.json key under which a package declares itself a plugin: `{"trading-orchestrator": {"plugin": {...}}}`. */
export const MANIFEST_FIELD = 'trading-orchestrator';
export const MANIFEST_KEY = 'plugin';
/** Dotted location of the manifest inside package.json, used as the prefix of problem paths. */
export const MANIFEST_PATH = `${MANIFEST_FIELD}.${MANIFEST_KEY}`;

const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export const pluginIdSchema = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(ID_PATTERN, 'use lowercase letters, digits and single dashes, starting with a letter (e.g. "rsi-mean-reversion")');

const semverRange = z.string().refine((v) => semver.validRange(v) !== null, {
  message: 'must be a semver range such as "^1.0.0"',
});

const entryPath = z
  .string()
  .regex(/^\.\/\S+/, 'must be a path relative to the package root starting with "./" (e.g. "./dist/index.js")')
  .refine((v) => !v.split('/').includes('..'), { message: 'must stay inside the package (no "..")' });

export const capabilitiesSchema = z.object({
  /** Timeframes the plugin works on; absent means any. */
  timeframes: z.array(z.enum(TIMEFRAMES)).min(1).optional(),
  /** Symbols the plugin serves or trades; absent means any. */
  symbols: z.array(z.string().min(1)).min(1).optional(),
  /** Markets, e.g. "crypto", "equities", "fx". */
  markets: z.array(z.string().min(1)).min(1).optional(),
  /** For data plugins: "historical" bars, "live" bars, "quotes" (top of book), "ticks" (trade prints). */
  feeds: z.array(z.enum(['historical', 'live', 'quotes', 'ticks'])).min(1).optional(),
});

/** A panel's part of the manifest: what it reads and how the dashboard shows it. */
export const panelSectionSchema = z.object({
  /** The topics the panel reads; it is sent these and nothing else. */
  topics: z.array(z.enum(PANEL_TOPICS, { message: `must be one of ${PANEL_TOPICS.join(', ')}` })).min(1, 'name at least one topic the panel reads'),
  /** The panel's title in the dashboard (default: the display name). */
  title: z.string().min(1).max(60).optional(),
  /** Height of its frame in CSS pixels. */
  height: z.number().int().min(80).max(1200).optional(),
});

export const pluginManifestSchema = z.object({
  id: pluginIdSchema,
  kind: z.enum(PLUGIN_KINDS, { message: `must be one of ${PLUGIN_KINDS.join(', ')}` }),
  /** Range of plugin-API versions the plugin works with. */
  api: semverRange,
  /** Module to import, relative to the package root. */
  entry: entryPath,
  displayName: z.string().min(1).max(80).optional(),
  description: z.string().min(1).max(500).optional(),
  capabilities: capabilitiesSchema.optional(),
  /** Other plugins this one needs, by id, with a range of their package versions. */
  dependencies: z.record(pluginIdSchema, semverRange).optional(),
  /** For `kind: "panel"` (and only for it): the topics it reads. Its `entry` is a browser script. */
  panel: panelSectionSchema.optional(),
}).superRefine((m, ctx) => {
  if (m.kind === 'panel' && m.panel === undefined) ctx.addIssue({ code: 'custom', path: ['panel'], message: 'a panel declares the topics it reads: "panel": {"topics": ["equity"]}' });
  if (m.kind !== 'panel' && m.panel !== undefined) ctx.addIssue({ code: 'custom', path: ['panel'], message: `only a panel has a "panel" section; this plugin's kind is ${m.kind}` });
});

export type PluginManifest = z.infer<typeof pluginManifestSchema>;
export type PanelSection = z.infer<typeof panelSectionSchema>;
export type PluginCapabilities = z.infer<typeof capabilitiesSchema>;

export const MANIFEST_KEYS: ReadonlySet<string> = new Set(Object.keys(pluginManifestSchema.shape));
export const CAPABILITY_KEYS: ReadonlySet<string> = new Set(Object.keys(capabilitiesSchema.shape));
