// Exact decimal text for money the window computes itself (a shift's
// variance, a share of a daily limit) and shows: BigInt units at a scale,
// never a float. Amounts arrive and leave as strings ("1500.50", "-10").

/** Digits, at most one point with digits after it, an optional minus. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Codes written with South Asian grouping (1,50,000.00). The core's
 * crates/domain/src/money.rs has BDT, INR and NPR; PKR is grouped in lakhs
 * here too (issue 12), and core-written amounts are regrouped for display.
 */
export const LAKH_GROUPING: ReadonlySet<string> = new Set(['BDT', 'INR', 'NPR', 'PKR']);
/** Crypto tickers: eight places. */
const CRYPTO = new Set(['BTC', 'ETH', 'USDT', 'USDC', 'TRX', 'BNB', 'LTC', 'SOL', 'TON', 'DOGE']);
/** Codes with no minor unit. */
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'IDR']);

/** Whether `s` is exact decimal text: "1500.50", "-10", "0.1" (no grouping, no exponent). */
export function isDecimal(s: string): boolean {
  return DECIMAL.test(s.trim());
}

interface Scaled {
  units: bigint;
  scale: number;
}

function parse(s: string): Scaled {
  const t = s.trim();
  if (!DECIMAL.test(t)) throw new Error(`Not an exact decimal: ${JSON.stringify(s)}`);
  const negative = t.startsWith('-');
  const [int, frac = ''] = (negative ? t.slice(1) : t).split('.');
  const units = BigInt(int + frac);
  return { units: negative ? -units : units, scale: frac.length };
}

function at(x: Scaled, scale: number): bigint {
  return x.units * 10n ** BigInt(scale - x.scale);
}

function text(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

/**
 * `a − b` exactly, at the larger of the two scales:
 * "1490" − "1500.50" = "-10.50"; "0.1" − "0.3" = "-0.2". Throws on text
 * that is not an exact decimal.
 */
export function subtractDecimal(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return text(at(x, scale) - at(y, scale), scale);
}

/** -1, 0 or 1 as `a` is less than, equal to or more than `b`. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = at(x, scale) - at(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Whether exact decimal text is zero ("0", "-0.00"). */
export function isZeroDecimal(s: string): boolean {
  return parse(s).units === 0n;
}

/**
 * The whole per cent `part` is of `whole`, rounded down (80 for 800 of
 * 1000); null when `whole` is not above zero.
 */
export function percentOf(part: string, whole: string): number | null {
  const x = parse(part);
  const y = parse(whole);
  const scale = Math.max(x.scale, y.scale);
  const w = at(y, scale);
  if (w <= 0n) return null;
  return Number((at(x, scale) * 100n) / w);
}

/** Decimal places an amount in `currency` shows. */
export function currencyScale(currency: string): number {
  const c = currency.trim().toUpperCase();
  if (CRYPTO.has(c)) return 8;
  if (ZERO_DECIMAL.has(c)) return 0;
  return 2;
}

function groupDigits(int: string, lakh: boolean): string {
  const groups: string[] = [];
  let end = int.length;
  let size = 3;
  while (end > 0) {
    const start = Math.max(0, end - size);
    groups.unshift(int.slice(start, end));
    end = start;
    if (lakh) size = 2;
  }
  return groups.join(',');
}

/**
 * An amount grouped as `currency` is written, without the code: at least
 * the currency's places (more when the amount has them), a minus when below
 * zero: "1,50,000.00" (BDT, INR, NPR, PKR), "150,000.00" otherwise. Text
 * that is not a decimal comes back as it was.
 */
export function groupAmount(amount: string, currency: string): string {
  const t = amount.trim();
  if (!DECIMAL.test(t)) return amount;
  const negative = t.startsWith('-');
  const [rawInt, rawFrac = ''] = (negative ? t.slice(1) : t).split('.');
  const int = rawInt.replace(/^0+(?=\d)/, '');
  const frac = rawFrac.padEnd(currencyScale(currency), '0');
  const grouped = groupDigits(int, LAKH_GROUPING.has(currency.trim().toUpperCase()));
  const zero = /^0*$/.test(int + frac);
  return `${negative && !zero ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** "1,50,000.00 BDT": grouped, with the currency code. */
export function formatAmount(amount: string, currency: string): string {
  return `${groupAmount(amount, currency)} ${currency}`;
}

/** A difference with its sign always shown: "+10.50", "-10.50", "0.00". */
export function signedAmount(amount: string, currency: string): string {
  const g = groupAmount(amount, currency);
  if (!isDecimal(amount) || g.startsWith('-') || isZeroDecimal(amount)) return g;
  return `+${g}`;
}
