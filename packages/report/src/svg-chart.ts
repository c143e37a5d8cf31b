export interface Series {
  readonly name: string;
  readonly color: string;
  /** Drawn dashed: a reference line (buy and hold) rather than something the run did. */
  readonly dashed?: boolean;
  readonly points: readonly { readonly time: number; readonly value: number }[];
}

export interface ChartOptions {
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
  /** Formats a value for the axis labels. */
  readonly format?: (value: number) => string;
  /** Fill the area between the line and zero (for drawdowns). */
  readonly area?: boolean;
  /** Points marked on the chart: an entry as a green triangle up, an exit as a red triangle down, with a tooltip. */
  readonly markers?: readonly ChartMarker[];
}

export interface ChartMarker {
  readonly time: number;
  readonly value: number;
  readonly kind: 'entry' | 'exit';
  readonly label: string;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** At most `max` points, keeping the first, the last and each bucket's extremes, so peaks and troughs survive. */
export function downsample(points: Series['points'], max: number): Series['points'] {
  if (points.length <= max) return points;
  const bucket = Math.ceil((points.length - 2) / Math.floor((max - 2) / 2));
  const out = [points[0]!];
  for (let i = 1; i < points.length - 1; i += bucket) {
    const slice = points.slice(i, Math.min(i + bucket, points.length - 1));
    let lo = slice[0]!;
    let hi = slice[0]!;
    for (const p of slice) {
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    out.push(...(lo.time <= hi.time ? [lo, hi] : [hi, lo]).filter((p, k, a) => k === 0 || p !== a[0]));
  }
  out.push(points.at(-1)!);
  return out;
}

/** A line chart as an inline SVG element: time on x, value on y, with min/max and first/last date labels. */
export function lineChart(series: readonly Series[], options: ChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 300;
  const pad = { left: 80, right: 16, top: 28, bottom: 28 };
  const format = options.format ?? ((v: number) => v.toFixed(2));
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<svg class="chart" role="img" aria-label="${escapeXml(options.title)}" width="${width}" height="${height}"><text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  const t0 = Math.min(...all.map((p) => p.time));
  const t1 = Math.max(...all.map((p) => p.time));
  let v0 = Math.min(...all.map((p) => p.value));
  let v1 = Math.max(...all.map((p) => p.value));
  if (options.area === true) v1 = Math.max(v1, 0);
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  const x = (t: number) => pad.left + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - v0) / (v1 - v0)) * (height - pad.top - pad.bottom);
  const paths = series.map((s) => {
    const pts = downsample(s.points, 1_500);
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
    const area = options.area === true && pts.length > 0 ? `<path class="area" d="${d}L${x(pts.at(-1)!.time).toFixed(1)},${y(0).toFixed(1)}L${x(pts[0]!.time).toFixed(1)},${y(0).toFixed(1)}Z" fill="${s.color}" fill-opacity="0.25"/>` : '';
    return `${area}<path class="line" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`;
  });
  const marks = (options.markers ?? []).map((m) => {
    const [cx, cy] = [x(m.time), y(m.value)];
    const points = m.kind === 'entry' ? `${cx - 5},${cy + 9} ${cx + 5},${cy + 9} ${cx},${cy + 2}` : `${cx - 5},${cy - 9} ${cx + 5},${cy - 9} ${cx},${cy - 2}`;
    return `<polygon class="marker ${m.kind}" points="${points}" style="fill:${m.kind === 'entry' ? '#2ca02c' : '#d62728'}"><title>${escapeXml(m.label)}</title></polygon>`;
  });
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  // The colour is a style, not a fill attribute: a page's stylesheet (the report's `.chart text`) would override an attribute.
  const legend = series.map((s, i) => `<text class="legend" x="${pad.left + i * 190}" y="16" style="fill:${s.color}">${s.dashed === true ? '┅' : '■'} ${escapeXml(s.name)}</text>`).join('');
  return [
    `<svg class="chart" role="img" aria-label="${escapeXml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect x="${pad.left}" y="${pad.top}" width="${width - pad.left - pad.right}" height="${height - pad.top - pad.bottom}" fill="#fafafa" stroke="#ddd"/>`,
    legend,
    `<text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end">${escapeXml(format(v1))}</text>`,
    `<text x="${pad.left - 6}" y="${height - pad.bottom}" text-anchor="end">${escapeXml(format(v0))}</text>`,
    `<text x="${pad.left}" y="${height - 8}">${day(t0)}</text>`,
    `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end">${day(t1)}</text>`,
    ...paths,
    ...marks,
    '</svg>',
  ].join('');
}
