import type { PluginCatalog } from '@trading-orchestrator/registry';
import { formatTable } from '../format/table.js';

/** The human-readable listing: a table of plugins, then why the unusable ones are unusable, then other problems. */
export function renderPluginList(catalog: PluginCatalog, projectDir: string): string {
  const { entries, problems, info } = catalog;
  const out: string[] = [];
  const usable = entries.filter((e) => e.status === 'compatible').length;
  out.push(`Plugins for ${projectDir} (host plugin API ${info.hostApiVersion}): ${entries.length} found, ${usable} usable`);
  out.push('');
  if (entries.length === 0) {
    out.push('No plugins found. Install plugin packages with npm (e.g. npm install @trading-orchestrator/strategy-rsi),');
    out.push('or point the runner at plugin folders with --plugin-dir <folder> or --plugin-path <package folder>.');
  } else {
    out.push(
      formatTable(
        ['ID', 'KIND', 'VERSION', 'PACKAGE', 'STATUS', 'REASON'],
        entries.map((e) => [e.id, e.kind ?? '?', e.version, e.packageName, e.status, e.reason ?? '']),
      ),
    );
  }
  const unusable = entries.filter((e) => e.status !== 'compatible' || e.problems.length > 0);
  if (unusable.length > 0) {
    out.push('', 'Details:');
    for (const e of unusable) {
      out.push(`  ${e.id} (${e.packageName}@${e.version}, ${e.packageDir})`);
      for (const p of e.problems) out.push(`    ${p.severity}: ${p.path}: ${p.message}`);
      if (e.fix !== undefined) out.push(`    fix: ${e.fix}`);
    }
  }
  if (problems.length > 0) {
    out.push('', 'Problems found while searching:');
    for (const p of problems) {
      out.push(`  ${p.severity}: ${p.path}: ${p.message}`);
      if (p.fix !== undefined) out.push(`    fix: ${p.fix}`);
    }
  }
  return out.join('\n');
}
