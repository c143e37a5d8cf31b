import type { PanelApi, PanelRiskFigures } from '@trading-orchestrator/plugin-api';
import { correlationMatrix, heatColour } from './correlation.js';

declare const panel: PanelApi;

const root = panel.root as HTMLElement;
root.innerHTML = '<p class="note">Waiting for risk figures: they need risk-var in the run and at least two symbols held.</p>';

function draw(figures: readonly PanelRiskFigures[]): void {
  const matrix = correlationMatrix(figures);
  if (matrix === undefined) {
    const hasVar = figures.some((f) => f.figures?.values !== undefined);
    root.replaceChildren(note(hasVar ? 'Correlations show once the account holds two symbols or more.' : 'No risk plugin reports correlations (add risk-var to the run).'));
    return;
  }
  const table = document.createElement('table');
  table.style.borderCollapse = 'collapse';
  const head = table.insertRow();
  head.insertCell().textContent = '';
  for (const s of matrix.symbols) head.insertCell().textContent = s;
  matrix.symbols.forEach((s, i) => {
    const row = table.insertRow();
    row.insertCell().textContent = s;
    matrix.cells[i]!.forEach((value) => {
      const cell = row.insertCell();
      cell.textContent = Number.isFinite(value) ? value.toFixed(2) : '–';
      cell.style.background = heatColour(value);
      cell.style.padding = '6px 10px';
      cell.style.textAlign = 'right';
      cell.dataset.value = String(value);
    });
  });
  root.replaceChildren(table, note(`from ${matrix.source}`));
}

function note(text: string): HTMLElement {
  const p = document.createElement('p');
  p.style.color = '#7d889a';
  p.textContent = text;
  return p;
}

panel.on<readonly PanelRiskFigures[]>('risk-figures', draw);
