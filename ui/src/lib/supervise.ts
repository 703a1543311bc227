// Presentation helpers for the supervisor's view: why a request needs a
// person in words, the queue tab that holds it, audit times and details.
import type { QueueTab } from './bindings/QueueTab';
import { digits, translated, t } from './i18n';

/** The core's `why`s, in the order the counts show them. */
export const WHYS = [
  'outcome_unknown',
  'amount_differs',
  'failed',
  'second_approval',
  'past_sla',
  'expired_maybe_paid',
] as const;

const WHY_TAB: Record<string, QueueTab> = {
  outcome_unknown: 'attention',
  amount_differs: 'attention',
  failed: 'attention',
  second_approval: 'second',
  past_sla: 'queue',
  expired_maybe_paid: 'done',
};

/** "Outcome unknown": a short label for a `why` (an unknown one as it came). */
export function whyLabel(why: string): string {
  const key = `why.${why}`;
  return (WHYS as readonly string[]).includes(why) || translated(key) ? t(key) : why.replace(/_/g, ' ');
}

/** The queue tab that lists a request needing a person for `why`, if known. */
export function whyTab(why: string): QueueTab | null {
  return WHY_TAB[why] ?? null;
}

/**
 * A `datetime-local` value ("2024-05-01T14:03", local time) as RFC 3339 in
 * UTC ("2024-05-01T12:03:00Z"); null when empty or not a time.
 */
export function localInputToRfc3339(value: string): string | null {
  if (value.trim() === '') return null;
  // Without an offset, date-time strings are read as local time.
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  return at.toISOString().replace(/\.000Z$/, 'Z');
}

/** An audit entry's details: compact on one line, and in full for the tooltip. */
export function auditDetails(details: string): { short: string; full: string } {
  try {
    const v: unknown = JSON.parse(details);
    if (v === null || (typeof v === 'object' && Object.keys(v).length === 0)) return { short: '', full: '' };
    return { short: JSON.stringify(v), full: JSON.stringify(v, null, 2) };
  } catch {
    return { short: details, full: details };
  }
}

/** "1,234": counts grouped the same way whatever the locale, in the chosen digits. */
export function formatRows(n: number): string {
  return digits(n.toLocaleString('en-US'));
}
