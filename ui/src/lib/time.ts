// Relative ages for the queue ("12 s", "3 min", "2 h", "4 d") and local
// timestamps for history. Pure functions: `now` is passed in so the caller
// decides how often it ticks.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch for an RFC 3339 string, or NaN. */
export function parseTime(iso: string): number {
  return Date.parse(iso);
}

/** Age of `iso` at `now` in the shortest honest unit; never negative. */
export function relativeAge(iso: string, now: number): string {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return '—';
  const ms = Math.max(0, now - at);
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2024-05-01 14:03:07" in local time, for history and tooltips. */
export function localTime(iso: string): string {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/**
 * "14:03" when `iso` is on the same local day as `now`, else
 * "2024-05-01 14:03": short enough for "offline since …".
 */
export function clockTime(iso: string, now: number): string {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at);
  const today = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
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
  const full = localTime(last);
  return !Number.isNaN(a) && localTime(first).slice(0, 10) === full.slice(0, 10) ? full.slice(11) : full;
}
