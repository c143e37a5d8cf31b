import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelTopic } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';

/** The most a panel's script may hold: it is inlined in its frame's page. */
export const PANEL_SCRIPT_LIMIT = 512 * 1024;

/**
 * How a panel's frame is locked down, sent as its page's Content-Security-Policy: a sandbox with scripts and
 * nothing else (an opaque origin: no cookies, no storage, no access to the dashboard or another frame), no
 * network at all (`default-src 'none'` covers fetch, WebSocket, images from elsewhere), inline script and style only.
 */
export const PANEL_FRAME_POLICY = "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/** An installed panel plugin, as the dashboard lists it. */
export interface InstalledPanel {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly topics: readonly PanelTopic[];
  readonly height: number;
  /** Its browser script, read once when the session starts. */
  readonly script: string;
}

/** The compatible panel plugins of the catalog; one that cannot be read is left out with the reason. */
export function installedPanels(catalog: PluginCatalog): { panels: InstalledPanel[]; problems: string[] } {
  const panels: InstalledPanel[] = [];
  const problems: string[] = [];
  for (const entry of catalog.byKind('panel')) {
    const manifest = entry.manifest;
    if (entry.status !== 'compatible' || manifest?.panel === undefined) continue;
    const file = join(entry.packageDir, manifest.entry);
    try {
      const size = statSync(file).size;
      if (size > PANEL_SCRIPT_LIMIT) throw new Error(`its script is ${size} bytes, more than the ${PANEL_SCRIPT_LIMIT / 1024} KB a panel may have`);
      panels.push({ id: entry.id, version: entry.version, title: manifest.panel.title ?? manifest.displayName ?? entry.id, topics: manifest.panel.topics, height: manifest.panel.height ?? 280, script: readFileSync(file, 'utf8') });
    } catch (error) {
      problems.push(`panel "${entry.id}" is left out of the dashboard: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `${manifest.entry} does not exist (build the package)` : (error as Error).message}`);
    }
  }
  return { panels, problems };
}

/**
 * The page of a panel's frame: a small host script that gives the panel `globalThis.panel` (see `PanelApi`) and
 * hands it the messages the dashboard posts, then the panel's own script. Messages from anywhere but the
 * dashboard (the frame's parent) are ignored, and a topic the manifest did not declare is never delivered.
 */
export function panelFrameHtml(panel: InstalledPanel): string {
  const inline = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  const meta = JSON.stringify({ id: panel.id, title: panel.title, topics: panel.topics });
  const host = `(() => {
  const meta = ${meta};
  const handlers = new Map();
  const api = Object.freeze({
    id: meta.id, title: meta.title, topics: Object.freeze(meta.topics.slice()), root: document.getElementById('root'),
    on(topic, handler) {
      if (!meta.topics.includes(topic)) throw new Error('panel ' + meta.id + ' reads only ' + meta.topics.join(', ') + ' (its manifest\\'s panel.topics), not ' + topic);
      if (!handlers.has(topic)) handlers.set(topic, []);
      handlers.get(topic).push(handler);
    },
  });
  Object.defineProperty(globalThis, 'panel', { value: api });
  addEventListener('message', (event) => {
    if (event.source !== parent) return;
    const message = event.data;
    if (message === null || typeof message !== 'object' || !meta.topics.includes(message.topic)) return;
    for (const handler of handlers.get(message.topic) ?? []) {
      try { handler(message.data, message); } catch (error) { console.error('panel ' + meta.id + ':', error); }
    }
  });
})();`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(panel.title)}</title>
<style>html,body{margin:0;background:#11151c;color:#d7dde8;font:12px/1.4 system-ui,sans-serif}#root{padding:6px}</style>
</head><body><div id="root"></div>
<script>${inline(host)}</script>
<script>${inline(panel.script)}</script>
</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
