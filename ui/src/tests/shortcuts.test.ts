import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../lib/i18n';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  localStorage.clear();
});

async function ready() {
  const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
  await renderApp(fake);
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
  return fake;
}

function selectedRow(): HTMLElement {
  const row = screen.getAllByTestId('queue-row').find((r) => r.getAttribute('aria-selected') === 'true');
  if (!row) throw new Error('no selected row');
  return row;
}

/** The keys of each shortcut in a group, as shown ("↓ or j", "Shift+Enter"). */
function shown(group: string): string[] {
  const section = screen.getAllByTestId('shortcut-group').find((g) => g.getAttribute('data-group') === group)!;
  return within(section)
    .getAllByTestId('shortcut')
    .map((row) => row.querySelector('dt')!.textContent!.replace(/\s+/g, ' ').trim());
}

describe('the keyboard shortcut sheet', () => {
  it('opens on `?` as a labelled modal dialog listing every shortcut, focus inside', async () => {
    await ready();
    const row = selectedRow();
    row.focus();
    await fireEvent.keyDown(row, { key: '?', shiftKey: true });

    const sheet = await screen.findByTestId('shortcut-sheet');
    expect(sheet.getAttribute('role')).toBe('dialog');
    expect(sheet.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBe(sheet);
    await waitFor(() => expect(sheet.contains(document.activeElement)).toBe(true));

    expect(within(sheet).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Queue',
      'Request',
      'Reject dialog',
      'Desk',
    ]);
    expect(shown('queue')).toEqual(['/', '↓ or j', '↑ or k', 'Enter or Space', 'Esc']);
    expect(shown('request')).toEqual(['a', 'r', 'Enter or a', 'Esc']);
    expect(shown('reject')).toEqual(['1 – 9', 'Enter', 'Shift+Enter', 'Esc']);
    expect(shown('desk')).toEqual(['?', 'Ctrl+L', 'Esc']);
    // Each key in its own <kbd>.
    expect([...sheet.querySelectorAll('[data-group="desk"] kbd')].map((k) => k.textContent)).toEqual([
      '?',
      'Ctrl',
      'L',
      'Esc',
    ]);
    expect(sheet.textContent).toContain('Approve (a large amount asks to confirm)');
    expect(sheet.textContent).toContain('After Approve or Reject, the next request opens.');
  });

  it('closes on Escape and gives focus back to where it was; keys behind it do nothing meanwhile', async () => {
    const fake = await ready();
    const row = selectedRow();
    row.focus();
    await fireEvent.keyDown(row, { key: '?', shiftKey: true });
    const sheet = await screen.findByTestId('shortcut-sheet');
    await waitFor(() => expect(sheet.contains(document.activeElement)).toBe(true));

    // Tab stays inside (the one control is Close).
    const close = screen.getByTestId('shortcut-sheet-close');
    expect(document.activeElement).toBe(close);
    expect(await fireEvent.keyDown(close, { key: 'Tab' })).toBe(false);
    expect(await fireEvent.keyDown(close, { key: 'Tab', shiftKey: true })).toBe(false);

    // The queue and the request do not hear keys while the sheet is open.
    await fireEvent.keyDown(close, { key: 'a' });
    await fireEvent.keyDown(close, { key: 'j' });
    await fireEvent.keyDown(close, { key: '/' });
    expect(fake.callsTo('approve')).toEqual([]);
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1');
    expect(document.activeElement).toBe(close);

    await fireEvent.keyDown(close, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('shortcut-sheet')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(row));
    // Escape went to the sheet only: the request is still open, nothing else closed.
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1');
  });

  it('closes on `?` again', async () => {
    await ready();
    await fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    await screen.findByTestId('shortcut-sheet');
    await fireEvent.keyDown(screen.getByTestId('shortcut-sheet-close'), { key: '?', shiftKey: true });
    await waitFor(() => expect(screen.queryByTestId('shortcut-sheet')).toBeNull());
  });

  it('does not open on `?` typed in the search box or another field', async () => {
    await ready();
    const search = screen.getByTestId('queue-search') as HTMLInputElement;
    search.focus();
    await fireEvent.keyDown(search, { key: '?', shiftKey: true });
    await fireEvent.keyDown(screen.getByTestId('filter-amount-min'), { key: '?', shiftKey: true });
    await fireEvent.keyDown(window, { key: 'r' });
    const reason = await screen.findByTestId('reject-reason');
    await fireEvent.keyDown(reason, { key: '?', shiftKey: true });
    expect(screen.queryByTestId('shortcut-sheet')).toBeNull();
  });

  it('opens from Settings too, and from the header button, which gets focus back', async () => {
    await ready();
    await fireEvent.click(screen.getByTestId('settings'));
    await fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    await screen.findByTestId('shortcut-sheet');
    await fireEvent.keyDown(screen.getByTestId('shortcut-sheet-close'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('shortcut-sheet')).toBeNull());
    // Escape closed the sheet, not Settings behind it.
    expect(screen.getByTestId('settings').getAttribute('aria-pressed')).toBe('true');

    const button = screen.getByTestId('shortcuts');
    expect(button.getAttribute('aria-label')).toBe('Keyboard shortcuts');
    expect(button.getAttribute('title')).toBe('Keyboard shortcuts (shortcut: ?)');
    await fireEvent.click(button);
    await screen.findByTestId('shortcut-sheet');
    await fireEvent.click(screen.getByTestId('shortcut-sheet-close'));
    await waitFor(() => expect(screen.queryByTestId('shortcut-sheet')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(button));
  });

  it('is in Urdu, right to left', async () => {
    await setLocale('ur');
    await ready();
    await fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    const sheet = await screen.findByRole('dialog', { name: 'کی بورڈ شارٹ کٹ' });
    expect(document.documentElement.dir).toBe('rtl');
    expect(within(sheet).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'قطار',
      'درخواست',
      'مسترد کرنے کا ڈائیلاگ',
      'ڈیسک',
    ]);
    expect(shown('queue')[1]).toBe('↓ یا j');
  });
});

describe('tooltips name the keys', () => {
  it('on Approve, Reject, the search box, the reject dialog and the large-approval confirmation', async () => {
    const big = makeRequest(2);
    big.confirm_from = { amount: '100.00', currency: 'BDT' };
    const fake = new FakeBackend([makeRequest(1), big]);
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    expect(screen.getByTestId('approve').getAttribute('title')).toBe('Approve (shortcut: a)');
    expect(screen.getByTestId('reject').getAttribute('title')).toBe('Reject with a reason (shortcut: r)');
    expect(screen.getByTestId('queue-search').getAttribute('title')).toBe('Search requests (shortcut: /)');

    await fireEvent.keyDown(window, { key: 'r' });
    await screen.findByTestId('reject-reason');
    expect(screen.getByTestId('reject-confirm').getAttribute('title')).toBe('Reject (shortcut: Enter)');
    expect(screen.getAllByTestId('reject-template')[0].getAttribute('title')).toBe(
      'TrxID not found in the statement (shortcut: 1)',
    );
    expect(screen.getByRole('button', { name: 'Cancel' }).getAttribute('title')).toBe('Cancel (shortcut: Esc)');
    await fireEvent.keyDown(screen.getByTestId('reject-reason'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('reject-reason')).toBeNull());

    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await fireEvent.keyDown(window, { key: 'a' });
    await screen.findByTestId('approve-confirm');
    expect(screen.getByTestId('approve-confirm-yes').getAttribute('title')).toBe(
      'Confirm approval (shortcut: Enter or a)',
    );
    expect(screen.getByTestId('approve-confirm-cancel').getAttribute('title')).toBe('Cancel (shortcut: Esc)');
  });

  it('in Hindi', async () => {
    await setLocale('hi');
    await ready();
    expect(screen.getByTestId('approve').getAttribute('title')).toBe('स्वीकृत करें (शॉर्टकट: a)');
    expect(screen.getByTestId('shortcuts').getAttribute('title')).toBe('कीबोर्ड शॉर्टकट (शॉर्टकट: ?)');
  });
});
