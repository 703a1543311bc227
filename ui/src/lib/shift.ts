// The shift close in the window: typed balances, each line's variance
// computed exactly as it is typed, and the form the supervisor signs.
import type { BalanceInput } from './bindings/BalanceInput';
import type { ClosePreview } from './bindings/ClosePreview';
import type { ShiftLine } from './bindings/ShiftLine';
import type { SignClose } from './bindings/SignClose';
import { isDecimal, isZeroDecimal, subtractDecimal } from './decimal';
import { t } from './i18n';

const SOURCES = ['provider', 'hand', 'carried'];

/** Where an opening or closing balance came from, in words. */
export function sourceText(source: string | null): string {
  if (source === null) return '';
  return SOURCES.includes(source) ? t(`shift.src_${source}`) : source;
}

/** One line's identity: account, wallet ("" for the whole account), currency. */
export function lineKey(l: { account_id: string; wallet?: string; currency: string }): string {
  return `${l.account_id}\u0000${l.wallet ?? ''}\u0000${l.currency}`;
}

/** An opening balance being typed. */
export interface TypedBalance {
  /** Keeps the row's inputs when another row is removed. */
  row: number;
  account_id: string;
  wallet: string;
  currency: string;
  amount: string;
}

/** What is wrong with a typed opening balance, or null. */
export function balanceProblem(b: TypedBalance): string | null {
  if (!b.account_id) return t('shift.pick_account');
  if (!/^[A-Za-z0-9]{2,10}$/.test(b.currency.trim())) return t('shift.type_currency');
  if (!isDecimal(b.amount)) return t('shift.type_amount');
  return null;
}

/** The typed opening balances as the core takes them (no wallet: the whole account). */
export function balanceInputs(rows: TypedBalance[]): BalanceInput[] {
  return rows.map((b) => {
    const input: BalanceInput = { account_id: b.account_id, currency: b.currency.trim().toUpperCase(), amount: b.amount.trim() };
    if (b.wallet.trim()) input.wallet = b.wallet.trim();
    return input;
  });
}

/** A preview line as the supervisor fills it in. */
export interface LineState {
  line: ShiftLine;
  key: string;
  /** No provider reported it: the closing balance is typed. */
  typed: boolean;
  /** What was typed as the closing balance ("" when reported). */
  entered: string;
  /** The closing balance, reported or typed; null while not (validly) typed. */
  closing: string | null;
  /** closing − expected, exactly; null while there is no closing balance. */
  variance: string | null;
  /** A variance other than zero: a reason is required. */
  needsReason: boolean;
  reason: string;
}

export function lineStates(lines: ShiftLine[], closings: Record<string, string>, reasons: Record<string, string>): LineState[] {
  return lines.map((line) => {
    const key = lineKey(line);
    const typed = line.closing === null;
    const entered = typed ? (closings[key] ?? '').trim() : '';
    const text = typed ? entered : line.closing!;
    const closing = isDecimal(text) ? text : null;
    const variance = closing === null ? null : typed || line.variance === null ? subtractDecimal(closing, line.expected) : line.variance;
    const needsReason = variance !== null && !isZeroDecimal(variance);
    return { line, key, typed, entered, closing, variance, needsReason, reason: (reasons[key] ?? '').trim() };
  });
}

/** Every closing typed, every variance explained, and a secret given. */
export function readyToSign(states: LineState[], secret: string): boolean {
  return secret !== '' && states.every((s) => s.closing !== null && (!s.needsReason || s.reason !== ''));
}

/** The signature of exactly this preview: typed closings and the reasons for variances. */
export function signForm(preview: ClosePreview, states: LineState[], secret: string): SignClose {
  return {
    token: preview.token,
    balances: states
      .filter((s) => s.typed && s.closing !== null)
      .map((s) => ({ account_id: s.line.account_id, wallet: s.line.wallet, currency: s.line.currency, amount: s.closing! })),
    reasons: states
      .filter((s) => s.needsReason)
      .map((s) => ({ account_id: s.line.account_id, wallet: s.line.wallet, currency: s.line.currency, reason: s.reason })),
    secret,
  };
}

/** Whether a line (of a signed report) has a variance other than zero. */
export function hasVariance(l: ShiftLine): boolean {
  return l.variance !== null && isDecimal(l.variance) && !isZeroDecimal(l.variance);
}
