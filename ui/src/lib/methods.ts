// How a method's facts read (desk form, Settings, detail pane).
import type { MethodInfo } from './bindings/MethodInfo';
import type { RequestKind } from './bindings/RequestKind';
import { digits, t } from './i18n';

/** "100.00 – 25000.00", "from 100.00", "up to 25000.00", or null without limits. */
export function limitsText(m: MethodInfo): string | null {
  const min = m.min_amount;
  const max = m.max_amount;
  if (min !== null && max !== null) return t('methods.range', { min: digits(min), max: digits(max) });
  if (min !== null) return t('methods.from', { min: digits(min) });
  if (max !== null) return t('methods.up_to', { max: digits(max) });
  return null;
}

/** Whether the method takes requests of this kind (any when no kind is chosen). */
export function methodTakes(m: MethodInfo, kind: RequestKind | null): boolean {
  return m.kind === null || kind === null || m.kind === kind;
}
