/// <reference types="vite/client" />
// Every language the window speaks: one JSON file per language under
// ./locales, found at build time. Adding a language is adding its file;
// nothing else names the languages.
//
// Only English (the fallback) and each file's `_meta` are in the first
// script: another language's messages are a chunk of their own, loaded
// when that language is chosen (or saved: state.svelte.ts waits for it
// before anything renders), so the log-in screen parses one catalogue,
// not four.
import english from './locales/en.json';

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
}

/** The language every other falls back to, key by key. */
export const FALLBACK = 'en';

// `?meta` makes each file a module of its own here: only its `_meta`
// export is kept in the first script (the JSON's other keys are shaken
// out), while the plain file below stays a lazy chunk.
const metas = import.meta.glob<Messages>('./locales/*.json', { eager: true, import: 'default', query: '?meta' });
const lazy = import.meta.glob<Messages>(['./locales/*.json', '!./locales/en.json'], { import: 'default' });

function codeOf(path: string): string {
  return path.replace(/^.*\/([^/]+)\.json(\?.*)?$/, '$1');
}

function metaOf(meta: Messages | undefined, code: string): LocaleMeta {
  const m = (meta ?? {}) as Record<string, string>;
  return {
    name: m.name || code,
    dir: m.dir === 'rtl' ? 'rtl' : 'ltr',
    digits: m.digits || 'latn',
  };
}

/** The languages, English first, then by code. */
export const LOCALES: LocaleInfo[] = Object.entries(metas)
  .map(([path, meta]) => {
    const code = codeOf(path);
    return { code, ...metaOf(meta, code) };
  })
  .sort((a, b) => (a.code === FALLBACK ? -1 : b.code === FALLBACK ? 1 : a.code.localeCompare(b.code)));

/** English's messages: always there (every other language falls back to them). */
export const FALLBACK_MESSAGES: Messages = english as Messages;

const loaders = new Map(Object.entries(lazy).map(([path, load]) => [codeOf(path), load]));

/** A language's messages, loaded on first use (English's at once). */
export function loadMessages(code: string): Promise<Messages> {
  if (code === FALLBACK) return Promise.resolve(FALLBACK_MESSAGES);
  const load = loaders.get(code);
  return load ? load() : Promise.reject(new Error(`no messages for ${code}`));
}

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
