/** A small hand-drawn SVG line chart: completion p95 against instance size, one line per pipeline. */

export interface ChartPoint {
  size: number;
  full: number;
  retrieval: number;
  lexical: number;
  typescript?: number;
}

const SERIES: Array<{ key: keyof ChartPoint; label: string; color: string }> = [
  { key: 'full', label: 'full (retrieval + rerank)', color: '#1f77b4' },
  { key: 'retrieval', label: 'retrieval only', color: '#2ca02c' },
  { key: 'lexical', label: 'BM25 only', color: '#ff7f0e' },
  { key: 'typescript', label: 'typescript-language-server', color: '#7f7f7f' },
];

export function latencyChart(points: readonly ChartPoint[]): string {
  const W = 640;
  const H = 360;
  const m = { left: 60, right: 200, top: 30, bottom: 50 };
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const values = sorted.flatMap((p) => SERIES.map((s) => p[s.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  const yMax = Math.max(1, ...values) * 1.15;
  const xs = sorted.map((p) => Math.log10(Math.max(1, p.size)));
  const xMin = Math.min(...xs, 2.5);
  const xMax = Math.max(...xs, 4.2);
  const px = (size: number) => m.left + ((Math.log10(Math.max(1, size)) - xMin) / (xMax - xMin)) * (W - m.left - m.right);
  const py = (v: number) => H - m.bottom - (v / yMax) * (H - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.left}" y="18" font-size="14">Completion latency p95 over stdio (ms) by instance size</text>`);
  parts.push(`<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`);
  parts.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(`<text x="${m.left - 6}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`);
    parts.push(`<line x1="${m.left}" y1="${py(v)}" x2="${W - m.right}" y2="${py(v)}" stroke="#eee"/>`);
  }
  for (const p of sorted) parts.push(`<text x="${px(p.size)}" y="${H - m.bottom + 18}" text-anchor="middle">${p.size.toLocaleString('en-US')}</text>`);
  parts.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 10}" text-anchor="middle">Script Includes (log scale)</text>`);
  SERIES.forEach((s, i) => {
    const pts = sorted.filter((p) => typeof p[s.key] === 'number' && Number.isFinite(p[s.key] as number));
    if (pts.length) {
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${px(p.size).toFixed(1)},${py(p[s.key] as number).toFixed(1)}`).join(' ')}"/>`);
      for (const p of pts) parts.push(`<circle cx="${px(p.size).toFixed(1)}" cy="${py(p[s.key] as number).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    parts.push(`<rect x="${W - m.right + 15}" y="${m.top + i * 20}" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${W - m.right + 32}" y="${m.top + i * 20 + 10}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
