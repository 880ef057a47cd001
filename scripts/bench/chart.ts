/**
 * The bench's chart: one SVG, no dependencies. Top: cases completed per second over the run; bottom: latency
 * (filing → COMPLETED) p50 / p90 / p99 of the cases completed in each time slice.
 */
export interface Completion {
  /** Seconds since the run started, when the case completed. */
  at: number;
  /** Filing → COMPLETED, milliseconds. */
  latencyMs: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

export const renderChart = (completions: Completion[], title: string, slices = 20): string => {
  const W = 760;
  const H = 460;
  const left = 64;
  const right = 20;
  const plotW = W - left - right;
  const top1 = 56;
  const h1 = 140;
  const top2 = top1 + h1 + 64;
  const h2 = 160;
  const end = Math.max(0.001, ...completions.map((c) => c.at));
  const width = end / slices;
  const buckets = Array.from({ length: slices }, (_, i) =>
    completions.filter((c) => c.at > i * width && c.at <= (i + 1) * width),
  );
  const rate = buckets.map((b) => b.length / width);
  const lat = (p: number) =>
    buckets.map((b) =>
      b.length
        ? percentile(
            b.map((c) => c.latencyMs),
            p,
          ) / 1000
        : null,
    );
  const series = [
    { name: 'p50', values: lat(50), color: '#1f6feb' },
    { name: 'p90', values: lat(90), color: '#d29922' },
    { name: 'p99', values: lat(99), color: '#cf222e' },
  ];
  const maxRate = Math.max(0.001, ...rate) * 1.1;
  const maxLat = Math.max(0.001, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))) * 1.1;
  const x = (i: number) => left + ((i + 0.5) / slices) * plotW;
  const barW = (plotW / slices) * 0.7;
  const y1 = (v: number) => top1 + h1 - (v / maxRate) * h1;
  const y2 = (v: number) => top2 + h2 - (v / maxLat) * h2;
  const axis = (top: number, h: number, max: number, unit: string) =>
    [0, 0.5, 1]
      .map((f) => {
        const y = top + h - f * h;
        return `<line x1="${left}" x2="${W - right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${(max * f).toFixed(max * f < 10 ? 1 : 0)}${unit}</text>`;
      })
      .join('');
  const bars = rate
    .map(
      (r, i) =>
        `<rect x="${x(i) - barW / 2}" y="${y1(r)}" width="${barW}" height="${top1 + h1 - y1(r)}" fill="#8fb8ef"/>`,
    )
    .join('');
  const lines = series
    .map((s) => {
      const pts = s.values
        .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y2(v).toFixed(1)}`))
        .filter(Boolean);
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${left + i * 70}" y="${top2 - 22}" width="12" height="12" fill="${s.color}"/><text x="${left + i * 70 + 16}" y="${top2 - 12}">${s.name}</text>`,
    )
    .join('');
  const xLabels = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="${left + f * plotW}" y="${top2 + h2 + 18}" text-anchor="middle">${(end * f).toFixed(0)} s</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12" fill="#1b1b1b">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${left}" y="22" font-size="15" font-weight="600">${esc(title)}</text>
<text x="${left}" y="${top1 - 10}" font-weight="600">Hồ sơ hoàn thành mỗi giây · cases completed per second</text>
${axis(top1, h1, maxRate, '')}${bars}
<text x="${left + 240}" y="${top2 - 12}" font-weight="600">Độ trễ nộp → hoàn thành · latency filing → COMPLETED (s)</text>
${legend}${axis(top2, h2, maxLat, ' s')}${lines}${xLabels}
</svg>
`;
};
