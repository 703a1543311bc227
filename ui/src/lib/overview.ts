// The supervisor's overview in chart form: the core's figures turned into
// labelled series, and each chart's one-sentence summary for screen readers.
import type { ChartSeries } from './bindings/ChartSeries';
import type { DecideTimesRow } from './bindings/DecideTimesRow';
import type { DepthRow } from './bindings/DepthRow';
import type { OverviewRange } from './bindings/OverviewRange';
import type { ReasonCount } from './bindings/ReasonCount';
import { timeLabels, toMinutes, total, totalsText, type Series } from './charts';
import { KIND_LABEL, PROVIDERS } from './status';

export const RANGES: { id: OverviewRange; label: string }[] = [
  { id: 'shift', label: 'This shift' },
  { id: 'day', label: 'Today' },
  { id: 'week', label: 'Last 7 days' },
];

export const NOTHING_DECIDED = 'Nothing decided in this range yet.';

/** "Zexabit" for a provider key the core sends ("zexabit"); other text as it came. */
export function providerLabel(key: string): string {
  return PROVIDERS.find((p) => p.id === key)?.label ?? key;
}

/** "Deposit" for a kind key; other text as it came. */
export function kindLabel(key: string): string {
  return (KIND_LABEL as Record<string, string>)[key] ?? key;
}

/** The depth chart's lines: the whole queue ("*", "All") first and drawn stronger. */
export function depthSeries(series: ChartSeries[]): Series[] {
  const all = series.filter((s) => s.key === '*');
  const rest = series.filter((s) => s.key !== '*');
  return [
    ...all.map((s) => ({ label: 'All', values: s.values, emphasis: true })),
    ...rest.map((s) => ({ label: providerLabel(s.label), values: s.values })),
  ];
}

/** Counts per hour per agent or provider, as chart series. */
export function countSeries(series: ChartSeries[]): Series[] {
  return series.map((s) => ({ label: providerLabel(s.label), values: s.values }));
}

export function depthSummary(times: string[], series: Series[]): string {
  const labels = timeLabels(times);
  const all = series.find((s) => s.emphasis) ?? series[0];
  if (!all || labels.length === 0) return 'Queue depth over time: no samples yet.';
  const now = all.values[all.values.length - 1] ?? 0;
  const peak = Math.max(...all.values);
  return (
    `Queue depth over time, ${labels.length} samples from ${labels[0]} to ${labels[labels.length - 1]}: ` +
    `${now} pending at the last sample, peak ${peak}.`
  );
}

export function throughputSummary(by: string, hours: string[], series: Series[]): string {
  const n = series.reduce((a, s) => a + total(s.values), 0);
  return `Decided per hour per ${by}: ${n} decisions over ${hours.length} hours. ${totalsText(series)}.`;
}

/** Median and 90th percentile time to decide, in minutes, for agents with timed decisions. */
export function decideTimes(rows: DecideTimesRow[]): { labels: string[]; series: Series[]; untimed: string[] } {
  const timed = rows.filter((r) => r.timed > 0 && r.median_ms !== null);
  return {
    labels: timed.map((r) => r.name),
    series: [
      { label: 'Median', values: timed.map((r) => toMinutes(r.median_ms ?? 0)) },
      { label: '90th percentile', values: timed.map((r) => toMinutes(r.p90_ms ?? 0)) },
    ],
    untimed: rows.filter((r) => !(r.timed > 0 && r.median_ms !== null)).map((r) => r.name),
  };
}

export function decideTimesSummary(labels: string[], series: Series[]): string {
  const [median, p90] = series;
  const parts = labels.map((l, i) => `${l} median ${median.values[i].toFixed(1)} min, 90% within ${p90.values[i].toFixed(1)} min`);
  return `Time to decide per agent: ${parts.join('; ')}.`;
}

export function rejectionsSummary(rows: ReasonCount[]): string {
  return `Rejections by reason: ${rows.map((r) => `${r.reason} ${r.count}`).join(', ')}.`;
}

/** Pending now per provider, kind and method, most first, with each row's share of the largest. */
export function depthNow(rows: DepthRow[]): (DepthRow & { share: number; label: string })[] {
  const max = Math.max(1, ...rows.map((r) => r.pending));
  return [...rows]
    .sort((a, b) => b.pending - a.pending || a.oldest.localeCompare(b.oldest))
    .map((r) => ({
      ...r,
      share: Math.round((r.pending / max) * 100),
      label: `${providerLabel(r.provider)} · ${kindLabel(r.kind)} · ${r.method}`,
    }));
}
