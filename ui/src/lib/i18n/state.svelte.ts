// The window's language: i18next with ICU MessageFormat (i18next-icu over
// FormatJS intl-messageformat). `t` reads the current language from a rune,
// so any template that calls it re-renders when the language changes.
import { createInstance } from 'i18next';
import ICU from 'i18next-icu';
import { FALLBACK, FALLBACK_MESSAGES, LOCALES, loadMessages, localeInfo, pickLocale, type LocaleInfo } from './catalogue';
import { hasNativeDigits, toDigits } from './digits';

export { LOCALES, FALLBACK, type LocaleInfo } from './catalogue';

const LOCALE_KEY = 'cashdesk.locale';
const DIGITS_KEY = 'cashdesk.nativeDigits';

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // A webview without storage keeps the choice for this run only.
  }
}

function initialLocale(): string {
  const saved = stored(LOCALE_KEY);
  if (saved && LOCALES.some((l) => l.code === saved)) return saved;
  const nav = typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language];
  return pickLocale(nav.filter(Boolean));
}

/** Per-machine choices: the language and whether digits are the script's own. */
const prefs = $state({ locale: initialLocale(), nativeDigits: stored(DIGITS_KEY) === 'true' });

/** The BCP 47 tag Intl formats with: the language and the digits in use. */
function tagFor(code: string): string {
  return `${code}-u-nu-${numbering(code)}`;
}

function numbering(code: string): string {
  const info = localeInfo(code);
  return prefs.nativeDigits && hasNativeDigits(info.digits) ? info.digits : 'latn';
}

const icu = new ICU({ parseLngForICU: (lng: string) => tagFor(lng) });
/** The i18next instance itself, for tests and tooling (components use `t`). */
export const i18n = createInstance();
void i18n.use(icu).init({
  // English only: another language's messages are added when they load.
  resources: { [FALLBACK]: { translation: FALLBACK_MESSAGES } },
  lng: prefs.locale,
  fallbackLng: FALLBACK,
  initAsync: false,
  // Keys are dotted paths into the JSON; messages may contain ':' freely.
  keySeparator: '.',
  nsSeparator: false,
  returnNull: false,
});

/** Languages whose messages are in i18next, or on their way. */
const loading = new Map<string, Promise<void>>([[FALLBACK, Promise.resolve()]]);
const loaded = new Set([FALLBACK]);

/** Loads a language's messages (its own chunk) into i18next, once. */
export function loadLocale(code: string): Promise<void> {
  let p = loading.get(code);
  if (!p) {
    p = loadMessages(code).then(
      (messages) => {
        i18n.addResourceBundle(code, 'translation', messages, true, true);
        loaded.add(code);
      },
      (e: unknown) => {
        loading.delete(code); // a later choice tries again
        throw e;
      },
    );
    loading.set(code, p);
  }
  return p;
}

// A saved language other than English is loaded before any component
// renders (every importer waits for this module), so the first screen is
// in that language, never English first. Should it fail, English shows.
if (!loaded.has(prefs.locale)) {
  try {
    await loadLocale(prefs.locale);
  } catch (e) {
    console.error(`language ${prefs.locale} did not load`, e);
    prefs.locale = FALLBACK;
    void i18n.changeLanguage(FALLBACK);
  }
}

/** The current language's code ("en", "bn", "hi", "ur"). */
export function locale(): string {
  return prefs.locale;
}

export function currentLocale(): LocaleInfo {
  return localeInfo(prefs.locale);
}

/** "rtl" for Urdu, else "ltr". */
export function dir(): 'ltr' | 'rtl' {
  return currentLocale().dir;
}

/** Whether native digits are switched on (they show only where the language has them). */
export function nativeDigits(): boolean {
  return prefs.nativeDigits;
}

/** The tag for Intl.* formatters: "bn-u-nu-beng" with native digits on, else "bn-u-nu-latn". */
export function intlLocale(): string {
  return tagFor(prefs.locale);
}

/** The numbering system digits are shown in now ("latn" unless native digits are on). */
export function digitSystem(): string {
  return numbering(prefs.locale);
}

/** Text the window formatted itself, with its digits in the current system. */
export function digits(text: string): string {
  return toDigits(text, digitSystem());
}

/**
 * The message at `key` in the current language, English when that language
 * lacks it, ICU-formatted with `values` ("{n, plural, one {…} other {…}}").
 * Reactive in templates.
 */
export function t(key: string, values?: Record<string, unknown>): string {
  const lng = prefs.locale;
  void prefs.nativeDigits; // a digits change re-renders numbers inside messages
  return i18n.t(key, { ...values, lng }) as string;
}

/** Whether the current language itself (not English) has a message at `key`. */
export function translated(key: string): boolean {
  return i18n.exists(key, { lng: prefs.locale, fallbackLng: false });
}

/**
 * The current language's words for `key`, or `fallback` as given (the core's
 * own English label) when that language has none or is English.
 */
export function tOr(key: string, fallback: string): string {
  return prefs.locale !== FALLBACK && translated(key) ? t(key) : fallback;
}

/** Sets `<html lang dir>` to the current language. */
export function applyLocale(): void {
  if (typeof document === 'undefined') return;
  const html = document.documentElement;
  html.lang = prefs.locale;
  html.dir = dir();
}

/** The language asked for last (a slower load of an earlier choice does not win). */
let wanted = '';

/**
 * Switches to `code` and remembers it: at once when its messages are in,
 * else once they have loaded (until then the window stays wholly in the
 * language it was in). Resolves when the switch is done.
 */
export async function setLocale(code: string): Promise<void> {
  if (!LOCALES.some((l) => l.code === code)) return;
  wanted = code;
  if (!loaded.has(code)) {
    try {
      await loadLocale(code);
    } catch (e) {
      console.error(`language ${code} did not load`, e);
      return;
    }
    if (wanted !== code) return;
  }
  prefs.locale = code;
  store(LOCALE_KEY, code);
  void i18n.changeLanguage(code);
  applyLocale();
}

export function setNativeDigits(on: boolean): void {
  prefs.nativeDigits = on;
  store(DIGITS_KEY, String(on));
  // Compiled messages keep the digits they were built with.
  icu.clearCache();
}

applyLocale();
