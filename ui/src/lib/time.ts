// Relative ages for the queue ("12 s", "3 min", "2 h", "4 d") and local
// timestamps for history. Pure functions of their arguments and the current
// language: `now` is passed in so the caller decides how often it ticks.
// English keeps the desk's compact forms exactly; other languages get
// Intl's words and (when chosen) native digits.
import { FALLBACK, locale } from './i18n/state.svelte';
import { ago as agoIntl, clock, dateTime, unitCount } from './i18n/format';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch for an RFC 3339 string, or NaN. */
export function parseTime(iso: string): number {
  return Date.parse(iso);
}

const english = () => locale() === FALLBACK;

type Unit = 'second' | 'minute' | 'hour' | 'day';
const SHORT: Record<Unit, string> = { second: 's', minute: 'min', hour: 'h', day: 'd' };

const UNIT_MS: Record<Unit, number> = { second: SECOND, minute: MINUTE, hour: HOUR, day: DAY };

/** A span in its largest whole unit. */
function span(ms: number): { n: number; unit: Unit } {
  if (ms < MINUTE) return { n: Math.floor(ms / SECOND), unit: 'second' };
  if (ms < HOUR) return { n: Math.floor(ms / MINUTE), unit: 'minute' };
  if (ms < DAY) return { n: Math.floor(ms / HOUR), unit: 'hour' };
  return { n: Math.floor(ms / DAY), unit: 'day' };
}

// When the words shown next change. Each function here that reads `now`
// notes when its words would change, so the window's clock wakes then and
// not on a fixed step: a queue of requests hours or days old re-renders
// nothing for hours (WebKit's JavaScript and JIT threads at rest).
let soonest = Infinity;
let onSooner: ((at: number) => void) | undefined;

/** Counted in seconds, an age moves on in steps of this (not each second). */
export const SECONDS_STEP_MS = 15_000;

function changesAt(at: number): void {
  if (at < soonest) {
    soonest = at;
    onSooner?.(at);
  }
}

/** The earliest time a text shown since `clockMoved` changes (Infinity: none noted). */
export function nextTextChange(): number {
  return soonest;
}

/** The clock moved: every text is shown afresh and notes its next change again. */
export function clockMoved(): void {
  soonest = Infinity;
}

/** Calls `wake` whenever a text is shown that changes sooner than any noted so far. */
export function onTextChange(wake: (at: number) => void): () => void {
  onSooner = wake;
  return () => {
    if (onSooner === wake) onSooner = undefined;
  };
}

/** The age in its largest whole unit, or null for a time that is not one. */
function age(iso: string, now: number): { n: number; unit: Unit } | null {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return null;
  const a = span(Math.max(0, now - at));
  if (now < at) changesAt(at + SECOND);
  // Seconds in steps until the first minute; else the next whole unit
  // (the 60th minute's sum is the first hour).
  else if (a.unit === 'second') changesAt(Math.min(at + MINUTE, now + SECONDS_STEP_MS));
  else changesAt(at + (a.n + 1) * UNIT_MS[a.unit]);
  return a;
}

/** A span in words: the desk's compact English, else Intl's. */
function words(a: { n: number; unit: Unit }): string {
  return english() ? `${a.n} ${SHORT[a.unit]}` : unitCount(a.n, a.unit);
}

/** Age of `iso` at `now` in the shortest honest unit; never negative. */
export function relativeAge(iso: string, now: number): string {
  const a = age(iso, now);
  return a ? words(a) : '—';
}

/** "3 min ago" (Intl.RelativeTimeFormat outside English); never in the future. */
export function timeAgo(iso: string, now: number): string {
  const a = age(iso, now);
  if (!a) return '—';
  return english() ? `${a.n} ${SHORT[a.unit]} ago` : agoIntl(a.n, a.unit);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function day(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function sameDay(a: Date, b: Date): boolean {
  return day(a) === day(b);
}

/** "2024-05-01 14:03:07" in local time, for history and tooltips. */
export function localTime(iso: string): string {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at);
  if (!english()) return dateTime(d);
  return `${day(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * "14:03" when `iso` is on the same local day as `now`, else
 * "2024-05-01 14:03": short enough for "offline since …".
 */
export function clockTime(iso: string, now: number): string {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at);
  const today = sameDay(d, new Date(now));
  // Today's "14:03" gains its date at midnight (and tomorrow's loses it).
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  changesAt(midnight.getTime());
  if (!english()) return today ? clock(d) : dateTime(d, false);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return today ? hm : `${day(d)} ${hm}`;
}

/**
 * The end of a span that starts at `first`, shown after `localTime(first)`:
 * null when both are the same second, "14:05:40" on the same local day,
 * else the full `localTime(last)`.
 */
export function spanEnd(first: string, last: string): string | null {
  const a = parseTime(first);
  const b = parseTime(last);
  if (Number.isNaN(b)) return last === first ? null : last;
  if (!Number.isNaN(a) && Math.floor(a / SECOND) === Math.floor(b / SECOND)) return null;
  const end = new Date(b);
  if (Number.isNaN(a) || !sameDay(new Date(a), end)) return localTime(last);
  return english() ? `${pad(end.getHours())}:${pad(end.getMinutes())}:${pad(end.getSeconds())}` : clock(end, true);
}

/** Under this much time left a waiting request shows as due soon. */
export const SOON_MS = 5 * MINUTE;

/**
 * Time left until `dueIso` at `now`: the span in the age's units and a
 * band for colour ("ok", "soon" under five minutes, "over" once past), or
 * null for a time that is not one.
 */
export function timeLeft(dueIso: string, now: number): { span: string; band: 'ok' | 'soon' | 'over' } | null {
  const due = parseTime(dueIso);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  const band = left < 0 ? 'over' : left < SOON_MS ? 'soon' : 'ok';
  // Past due, the span is the due time's age (noted by `age`).
  if (left < 0) return { span: relativeAge(dueIso, now), band };
  const a = span(left);
  // Words change once less than n units are left; the band at five minutes and at the due time.
  const fewer = a.unit === 'second' ? now + SECONDS_STEP_MS : due - a.n * UNIT_MS[a.unit] + 1;
  changesAt(Math.min(fewer, left >= SOON_MS ? due - SOON_MS + 1 : due + 1));
  return { span: words(a), band };
}
