// The supervisor's overview in chart form: the core's figures turned into
// labelled series, and each chart's one-sentence summary for screen readers.
import type { ChartSeries } from './bindings/ChartSeries';
import type { DecideTimesRow } from './bindings/DecideTimesRow';
import type { DepthRow } from './bindings/DepthRow';
import type { OverviewRange } from './bindings/OverviewRange';
import type { ReasonCount } from './bindings/ReasonCount';
import { timeLabels, toMinutes, total, totalsText, type Series } from './charts';
import { t } from './i18n';
import { KIND_LABEL, PROVIDERS } from './status';

// Labels are getters: they follow the window's language wherever read.
export const RANGES: { id: OverviewRange; label: string }[] = (['shift', 'day', 'week'] as const).map((id) => ({
  id,
  get label() {
    return t(`overview.${id}`);
  },
}));

/** "Nothing decided in this range yet." in the current language. */
export function nothingDecided(): string {
  return t('overview.nothing');
}

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
    ...all.map((s) => ({ label: t('overview.all'), values: s.values, emphasis: true })),
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
  if (!all || labels.length === 0) return t('overview.depth_none');
  const now = all.values[all.values.length - 1] ?? 0;
  const peak = Math.max(...all.values);
  return t('overview.depth_summary', {
    n: labels.length,
    from: labels[0],
    to: labels[labels.length - 1],
    now,
    peak,
  });
}

export function throughputSummary(by: 'agent' | 'provider', hours: string[], series: Series[]): string {
  const n = series.reduce((a, s) => a + total(s.values), 0);
  return t('overview.throughput_summary', { by: t(`overview.by_${by}`), n, hours: hours.length, totals: totalsText(series) });
}

/** Median and 90th percentile time to decide, in minutes, for agents with timed decisions. */
export function decideTimes(rows: DecideTimesRow[]): { labels: string[]; series: Series[]; untimed: string[] } {
  const timed = rows.filter((r) => r.timed > 0 && r.median_ms !== null);
  return {
    labels: timed.map((r) => r.name),
    series: [
      { label: t('overview.median'), values: timed.map((r) => toMinutes(r.median_ms ?? 0)) },
      { label: t('overview.p90'), values: timed.map((r) => toMinutes(r.p90_ms ?? 0)) },
    ],
    untimed: rows.filter((r) => !(r.timed > 0 && r.median_ms !== null)).map((r) => r.name),
  };
}

export function decideTimesSummary(labels: string[], series: Series[]): string {
  const [median, p90] = series;
  const parts = labels.map((l, i) =>
    t('overview.times_part', { name: l, median: median.values[i].toFixed(1), p90: p90.values[i].toFixed(1) }),
  );
  return t('overview.times_summary', { parts: parts.join('; ') });
}

export function rejectionsSummary(rows: ReasonCount[]): string {
  return t('overview.rejections_summary', { parts: rows.map((r) => `${r.reason} ${r.count}`).join(', ') });
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
