// The window's languages, digits and formats: import from here
// (`import { t, amount, amountText } from '../i18n'`).
export {
  FALLBACK,
  LOCALES,
  applyLocale,
  currentLocale,
  digitSystem,
  digits,
  dir,
  intlLocale,
  locale,
  nativeDigits,
  setLocale,
  setNativeDigits,
  t,
  tOr,
  translated,
  type LocaleInfo,
} from './state.svelte';
export { ago, amount, amountNumber, amountText, clock, dateTime, formatNumber, signed, unitCount } from './format';
export { hasNativeDigits, toDigits } from './digits';
