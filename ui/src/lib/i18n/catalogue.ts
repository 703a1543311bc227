/// <reference types="vite/client" />
// Every language the window speaks: one JSON file per language under
// ./locales, found at build time. Adding a language is adding its file;
// nothing else names the languages.

/** A locale file's `_meta`: how the language is shown and written. */
export interface LocaleMeta {
  /** The language's own name, as its readers know it ("বাংলা"). */
  name: string;
  /** Writing direction; Urdu is `rtl` (the layout mirrors). */
  dir: 'ltr' | 'rtl';
  /** The Unicode numbering system of its native digits (`latn` when none). */
  digits: string;
}

export type Messages = { [key: string]: string | Messages };

export interface LocaleInfo extends LocaleMeta {
  code: string;
  messages: Messages;
}

/** The language every other falls back to, key by key. */
export const FALLBACK = 'en';

const files = import.meta.glob<Messages>('./locales/*.json', { eager: true, import: 'default' });

function metaOf(messages: Messages, code: string): LocaleMeta {
  const m = (messages._meta ?? {}) as Record<string, string>;
  return {
    name: m.name || code,
    dir: m.dir === 'rtl' ? 'rtl' : 'ltr',
    digits: m.digits || 'latn',
  };
}

/** The languages, English first, then by code. */
export const LOCALES: LocaleInfo[] = Object.entries(files)
  .map(([path, messages]) => {
    const code = path.replace(/^.*\/([^/]+)\.json$/, '$1');
    return { code, messages, ...metaOf(messages, code) };
  })
  .sort((a, b) => (a.code === FALLBACK ? -1 : b.code === FALLBACK ? 1 : a.code.localeCompare(b.code)));

export function localeInfo(code: string): LocaleInfo {
  return LOCALES.find((l) => l.code === code) ?? LOCALES.find((l) => l.code === FALLBACK)!;
}

/**
 * The first of the person's languages that the window speaks ("bn-BD" →
 * "bn"), else English.
 */
export function pickLocale(wanted: readonly string[]): string {
  for (const w of wanted) {
    const exact = LOCALES.find((l) => l.code.toLowerCase() === w.toLowerCase());
    if (exact) return exact.code;
    const base = w.split(/[-_]/)[0].toLowerCase();
    const near = LOCALES.find((l) => l.code.toLowerCase() === base);
    if (near) return near.code;
  }
  return FALLBACK;
}
