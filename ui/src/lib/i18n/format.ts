// Numbers, amounts and dates as the current language writes them. Amounts
// stay exact text (BigInt grouping in ../decimal); only their digits change.
import { LAKH_GROUPING, formatAmount, groupAmount, signedAmount } from '../decimal';
import { digits, intlLocale } from './state.svelte';

/** A count or other plain number, grouped and in the current digits. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(), options).format(n);
}

/** "1,50,000.00 BDT" in the current digits (grouped by the currency's rule). */
export function amount(value: string, currency: string): string {
  return digits(formatAmount(value, currency));
}

/** "1,50,000.00" without the code, in the current digits. */
export function amountNumber(value: string, currency: string): string {
  return digits(groupAmount(value, currency));
}

/** "+10.50" / "-10.50" in the current digits. */
export function signed(value: string, currency: string): string {
  return digits(signedAmount(value, currency));
}

const DISPLAY = /^(-?)([0-9]{1,3}(?:,[0-9]{3})+)(\.[0-9]+)? ([A-Za-z0-9]+)$/;
/** Grouped in lakhs by the core from the start (crates/domain/src/money.rs). */
const CORE_LAKH = new Set(['BDT', 'INR', 'NPR']);

/**
 * An amount the core already wrote (`amount_display`), in the current
 * digits. The core groups PKR in lakhs too; text it wrote before it did
 * ("150,000.00 PKR", in exports and history) is regrouped in lakhs as the
 * window groups PKR; other text keeps its grouping.
 */
export function amountText(display: string): string {
  const m = DISPLAY.exec(display.trim());
  const code = m?.[4].toUpperCase() ?? '';
  if (!m || !LAKH_GROUPING.has(code) || CORE_LAKH.has(code)) return digits(display);
  const [, sign, int, frac = ''] = m;
  return digits(`${sign}${groupAmount(int.replace(/,/g, '') + frac, code)} ${code}`);
}

/** A date and time in the current language ("5 May 2024, 14:03:07"). */
export function dateTime(at: Date, withSeconds = true): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(at);
}

/** A time of day in the current language ("14:03" or "14:03:07"). */
export function clock(at: Date, withSeconds = false): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(at);
}

/** A duration in the largest whole unit, short ("3 min", "৩ মিনিট"). */
export function unitCount(n: number, unit: 'second' | 'minute' | 'hour' | 'day'): string {
  return formatNumber(n, { style: 'unit', unit, unitDisplay: 'short' });
}

/** "3 minutes ago" in the current language (Intl.RelativeTimeFormat). */
export function ago(n: number, unit: 'second' | 'minute' | 'hour' | 'day'): string {
  return new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'always', style: 'short' }).format(-n, unit);
}
