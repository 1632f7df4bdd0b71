// The last 12 months' consumption as an inline SVG bar chart: no client JavaScript, prints
// exactly as shown, readable in black and white.
export function UsageChart({ data, label }: { data: { period: string; kwh: number | null }[]; label: string }) {
  const W = 640, H = 200, pad = { l: 44, r: 8, t: 18, b: 30 };
  const max = Math.max(1, ...data.map((d) => d.kwh ?? 0));
  const step = (W - pad.l - pad.r) / data.length;
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const ticks = [0, Math.round(max / 2), max];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="h-auto w-full" data-testid="usage-chart">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
          <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#475569">{v}</text>
        </g>
      ))}
      {data.map((d, i) => {
        const x = pad.l + i * step + step * 0.15;
        const w = step * 0.7;
        const v = d.kwh ?? 0;
        const last = i === data.length - 1;
        return (
          <g key={d.period}>
            {d.kwh !== null && (
              <rect x={x} y={y(v)} width={w} height={Math.max(0, H - pad.b - y(v))} fill={last ? "#1d4ed8" : "#94a3b8"} stroke="#334155" strokeWidth="0.5">
                <title>{`${d.period}: ${v}`}</title>
              </rect>
            )}
            {d.kwh !== null && <text x={x + w / 2} y={y(v) - 3} textAnchor="middle" fontSize="10" fill="#0f172a">{v}</text>}
            <text x={x + w / 2} y={H - pad.b + 14} textAnchor="middle" fontSize="10" fill="#475569">{d.period.slice(2).replace("-", "/")}</text>
          </g>
        );
      })}
    </svg>
  );
}
