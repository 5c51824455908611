/**
 * A small SVG line chart (no dependency): a few series of (x, y) points on shared axes, optional
 * vertical markers with labels. Enough for a benchmark's "lag over time"; not a charting library.
 */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

export interface Marker {
  x: number;
  label: string;
}

export interface ChartPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1, 2, 5 x 10^n steps giving about `count` ticks over [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude) as number;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  if ((ticks.at(-1) as number) < max) ticks.push((ticks.at(-1) as number) + step);
  return ticks;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Number(v.toPrecision(3)));
}

function panelSvg(panel: ChartPanel, width: number, height: number): string {
  const m = { left: 64, right: 16, top: 32, bottom: 64 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = panel.series.flatMap((s) => s.points);
  const xTicks = niceTicks(Math.max(1, ...all.map((p) => p[0]), ...(panel.markers ?? []).map((mk) => mk.x)));
  const yTicks = niceTicks(Math.max(1, ...all.map((p) => p[1])));
  const xMax = xTicks.at(-1) as number;
  const yMax = yTicks.at(-1) as number;
  const x = (v: number) => m.left + (v / xMax) * w;
  const y = (v: number) => m.top + h - (v / yMax) * h;
  const out: string[] = [];
  out.push(`<text x="${m.left}" y="20" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${formatTick(t)}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${m.top + h}" y2="${m.top + h + 4}" stroke="#333"/>`);
    out.push(`<text x="${x(t)}" y="${m.top + h + 16}" font-size="11" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${m.top + h}" y2="${m.top + h}" stroke="#333"/>`);
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + h}" stroke="#333"/>`);
  out.push(`<text x="${m.left + w / 2}" y="${m.top + h + 34}" font-size="12" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${m.top + h / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`);
  for (const [i, mk] of (panel.markers ?? []).entries()) {
    out.push(`<line x1="${x(mk.x)}" x2="${x(mk.x)}" y1="${m.top}" y2="${m.top + h}" stroke="#999" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(mk.x) + 3}" y="${m.top + 12 + (i % 2) * 13}" font-size="11" fill="#555">${escapeXml(mk.label)}</text>`);
  }
  let lx = m.left + 8;
  panel.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    if (d) out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"/>`);
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${height - 12}" y2="${height - 12}" stroke="${colour}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 24}" y="${height - 8}" font-size="11">${escapeXml(s.name)}</text>`);
    // About 6.5 px per character at 11 px sans-serif, plus the swatch and a gap.
    lx += 24 + Math.ceil(s.name.length * 6.5) + 24;
  });
  return out.join('\n');
}

/** Panels stacked vertically in one SVG document. */
export function lineChartsSvg(panels: readonly ChartPanel[], options: { width?: number; panelHeight?: number; caption?: string } = {}): string {
  const width = options.width ?? 900;
  const panelHeight = options.panelHeight ?? 320;
  const captionHeight = options.caption ? 24 : 0;
  const height = panels.length * panelHeight + captionHeight;
  const body = panels.map((p, i) => `<g transform="translate(0 ${i * panelHeight})">\n${panelSvg(p, width, panelHeight)}\n</g>`).join('\n');
  const caption = options.caption ? `<text x="8" y="${height - 8}" font-size="11" fill="#555">${escapeXml(options.caption)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n${caption}\n</svg>\n`;
}
