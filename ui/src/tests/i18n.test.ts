import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import IntlMessageFormat from 'intl-messageformat';
import { afterEach, describe, expect, it } from 'vitest';
import Preferences from '../lib/components/Preferences.svelte';
import { groupAmount } from '../lib/decimal';
import { LOCALES, amount, amountText, setLocale, setNativeDigits, t } from '../lib/i18n';
import { loadMessages, type Messages } from '../lib/i18n/catalogue';
import { i18n } from '../lib/i18n/state.svelte';
import { formatCount, statusLabel } from '../lib/status';
import { relativeAge, timeAgo } from '../lib/time';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  setNativeDigits(false);
  localStorage.clear();
});

function flat(m: Messages, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'string') out[prefix + k] = v;
    else Object.assign(out, flat(v, `${prefix}${k}.`));
  }
  return out;
}

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** The argument names a parsed message uses (not its literal text), inside plural and select branches too. */
function argumentsOf(ast: Ast): string[] {
  return ast.flatMap((el) => {
    const own = 'value' in el && el.type !== 0 ? [String(el.value)] : [];
    const nested = 'options' in el ? Object.values(el.options).flatMap((o) => argumentsOf(o.value as Ast)) : [];
    return [...own, ...nested];
  });
}

// Every language's messages, each from its own lazily loaded chunk.
const files = await Promise.all(LOCALES.map(async (l) => ({ ...l, messages: await loadMessages(l.code) })));
const en = flat(files.find((l) => l.code === 'en')!.messages);

describe('locale files', () => {
  it('are English, Bengali, Hindi and Urdu, found by themselves', () => {
    expect(LOCALES.map((l) => l.code)).toEqual(['en', 'bn', 'hi', 'ur']);
    expect(LOCALES.find((l) => l.code === 'ur')!.dir).toBe('rtl');
  });

  it.each(files.map((l) => [l.code, l] as const))('%s has exactly the keys of en.json', (_code, l) => {
    expect(Object.keys(flat(l.messages)).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(files.map((l) => [l.code, l] as const))('%s messages are valid ICU with the placeholders of English', (_code, l) => {
    const names = (s: string) => [...new Set(argumentsOf(new IntlMessageFormat(s, 'en').getAst()))].sort();
    for (const [key, text] of Object.entries(flat(l.messages))) {
      expect(() => new IntlMessageFormat(text, l.code), key).not.toThrow();
      if (!key.startsWith('_meta.')) expect(names(text), key).toEqual(names(en[key]));
    }
  });
});

describe('switching language', () => {
  it('sets <html lang dir>, remembers the choice and re-renders', async () => {
    render(Preferences);
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByText('Appearance & language')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('prefs-language'), { target: { value: 'ur' } });
    // Urdu's messages are a chunk of their own: the switch waits for them.
    await waitFor(() => expect(document.documentElement.lang).toBe('ur'));
    expect(document.documentElement.dir).toBe('rtl');
    expect(localStorage.getItem('cashdesk.locale')).toBe('ur');
    await waitFor(() => expect(screen.getByText('ظاہری شکل اور زبان')).toBeTruthy());
    await setLocale('bn');
    expect(document.documentElement.dir).toBe('ltr');
    expect(document.documentElement.lang).toBe('bn');
  });

  it('renders the log-in screen in Urdu, right to left', async () => {
    await setLocale('ur');
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.loggedOut();
    await renderApp(fake);
    const heading = await screen.findByRole('heading', { name: 'لاگ ان' });
    expect(heading.closest('[dir]')?.getAttribute('dir') ?? document.documentElement.dir).toBe('rtl');
    expect((screen.getByTestId('login-language') as HTMLSelectElement).value).toBe('ur');
  });

  it('falls back to English, key by key', async () => {
    i18n.addResource('en', 'translation', 'test.only_english', 'Only in English');
    await setLocale('bn');
    expect(t('test.only_english')).toBe('Only in English');
    expect(t('tabs.queue')).toBe('সারি');
  });

  it('puts its own words over the core status labels, and keeps the core words in English', async () => {
    expect(statusLabel('pending', 'pending')).toBe('pending');
    await setLocale('hi');
    expect(statusLabel('pending', 'pending')).toBe('लंबित');
  });
});

describe('amounts, digits and ages', () => {
  it('groups lakh and crore for BDT, INR and PKR, exactly', () => {
    expect(groupAmount('150000', 'PKR')).toBe('1,50,000.00');
    expect(groupAmount('12345678.5', 'INR')).toBe('1,23,45,678.50');
    expect(amount('150000', 'PKR')).toBe('1,50,000.00 PKR');
    expect(amount('123456789012345678.01', 'BDT')).toBe('1,23,45,67,89,01,23,45,678.01 BDT');
    // Text the core wrote in thousands before it grouped PKR in lakhs.
    expect(amountText('1,50,000.00 PKR')).toBe('1,50,000.00 PKR');
    expect(amountText('150,000.00 PKR')).toBe('1,50,000.00 PKR');
    expect(amountText('-1,500.50 USD')).toBe('-1,500.50 USD');
    expect(amountText('not money')).toBe('not money');
  });

  it('shows Bengali digits only when chosen', async () => {
    await setLocale('bn');
    expect(amount('150000', 'BDT')).toBe('1,50,000.00 BDT');
    expect(formatCount(12)).toBe('12');
    setNativeDigits(true);
    expect(localStorage.getItem('cashdesk.nativeDigits')).toBe('true');
    expect(amount('150000', 'BDT')).toBe('১,৫০,০০০.০০ BDT');
    expect(amountText('150,000.00 PKR')).toBe('১,৫০,০০০.০০ PKR');
    expect(formatCount(12)).toBe('১২');
    expect(formatCount(10_000)).toBe('৯৯৯৯+');
    expect(t('time.times', { n: 3 })).toBe('৩ বার,');
    const base = Date.parse('2024-05-01T12:00:00Z');
    expect(relativeAge(new Date(base - 3 * 60_000).toISOString(), base)).toContain('৩');
  });

  it('keeps the English ages and adds "ago" in words elsewhere', async () => {
    const base = Date.parse('2024-05-01T12:00:00Z');
    const iso = new Date(base - 3 * 60_000).toISOString();
    expect(relativeAge(iso, base)).toBe('3 min');
    expect(timeAgo(iso, base)).toBe('3 min ago');
    await setLocale('hi');
    expect(timeAgo(iso, base)).toBe(new Intl.RelativeTimeFormat('hi-u-nu-latn', { style: 'short' }).format(-3, 'minute'));
  });
});
