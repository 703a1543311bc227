// The small pure helpers the supervisor's charts share: series, colours
// from the app's CSS variables, time labels. Chart.js itself is imported
// only by components/Chart.svelte, so that it stays in the lazily loaded
// chunk of the views that draw charts (this file is used by others too).

/** One line or one stack of bars: a value per label. */
export interface Series {
  label: string;
  values: number[];
  /** Drawn stronger (the whole queue among its providers). */
  emphasis?: boolean;
}

export type ChartKind = 'line' | 'bar';

/** Series colours, in order; defined in app.css for light and dark. */
const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6', '--chart-7', '--chart-8'];
const FALLBACK = ['#1d57b0', '#15803d', '#a15c00', '#b91c1c', '#7c3aed', '#0e7490', '#be185d', '#4b5563'];

/** A CSS variable's value on the document, or `fallback` when unset. */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** The colour of the `i`-th series. */
export function seriesColor(i: number): string {
  const k = i % PALETTE.length;
  return cssVar(PALETTE[k], FALLBACK[k]);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Local clock labels for a chart's axis: "14:05" when every time is on one
 * local day, "05-01 14:05" when they span several. `hourOnly` writes
 * hour starts as "14:00".
 */
export function timeLabels(isos: string[], hourOnly = false): string[] {
  const dates = isos.map((s) => new Date(s));
  const oneDay = new Set(dates.map((d) => (Number.isNaN(d.getTime()) ? '' : localDay(d)))).size <= 1;
  return dates.map((d, i) => {
    if (Number.isNaN(d.getTime())) return isos[i];
    const hm = `${pad(d.getHours())}:${hourOnly ? '00' : pad(d.getMinutes())}`;
    return oneDay ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
  });
}

/** Milliseconds as minutes with one decimal (a number, for a chart). */
export function toMinutes(ms: number): number {
  return Math.round(ms / 6000) / 10;
}

/** "2.5 min"; "—" when not known. */
export function minutesText(ms: number | null): string {
  return ms === null ? '—' : `${toMinutes(ms).toFixed(1)} min`;
}

/** "45 s", "3 min 20 s", "1 h 5 min": how long something took. */
export function durationText(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/** The sum of a series' values. */
export function total(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** "Asha 12, Bilal 9": each series' total, largest first (the aria summary of a stacked chart). */
export function totalsText(series: Series[]): string {
  return [...series]
    .map((s) => ({ label: s.label, n: total(s.values) }))
    .sort((a, b) => b.n - a.n)
    .map((s) => `${s.label} ${s.n}`)
    .join(', ');
}
