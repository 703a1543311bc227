import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyPrefs } from '../lib/bindings/NotifyPrefs';
import { setLocale } from '../lib/i18n';
import { FakeBackend, makeRequest } from './fake';
import { DEFAULT_NOTIFY } from './fake-notify';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  localStorage.clear();
});

/** Opens Settings and answers the Notifications section once its controls are there. */
async function openNotify(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('settings'));
  const section = await screen.findByTestId('notify');
  const s = within(section);
  await s.findByRole('group', { name: 'Show popups' });
  return s;
}

const input = (el: HTMLElement) => el as HTMLInputElement;

describe('Settings → Notifications', () => {
  it('shows the stored preferences, each control named by its fieldset and label', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.notify.prefs = { when: 'always', new_requests: false, outcomes: true, breaches: false };
    const s = await openNotify(fake);
    expect(fake.callsTo('notify_prefs')).toEqual([[]]);

    const when = s.getByRole('group', { name: 'Show popups' });
    expect(within(when).getAllByRole('radio').map((r) => input(r).value)).toEqual(['always', 'unfocused', 'never']);
    expect(input(within(when).getByRole('radio', { name: 'Always' })).checked).toBe(true);
    expect(input(within(when).getByRole('radio', { name: 'Only when Cashdesk is not in front' })).checked).toBe(false);
    expect(input(within(when).getByRole('radio', { name: 'Never' })).checked).toBe(false);

    const kinds = s.getByRole('group', { name: 'Notify about' });
    const box = (name: string) => input(within(kinds).getByRole('checkbox', { name }));
    expect(box('New requests').checked).toBe(false);
    expect(box('Outcomes from providers').checked).toBe(true);
    expect(box('Requests past due — supervisors').checked).toBe(false);
    expect(box('Requests past due — supervisors').getAttribute('aria-describedby')).toBe('notify-breaches-hint');
    expect(document.getElementById('notify-breaches-hint')!.textContent).toContain('shown to supervisors only');
    expect(box('New requests').disabled).toBe(false);
    // Nothing is saved by only looking.
    expect(fake.callsTo('set_notify_prefs')).toEqual([]);
  });

  it('saves on each change exactly the preferences on screen', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    const s = await openNotify(fake);
    expect(input(s.getByTestId('notify-when-unfocused')).checked).toBe(true);

    await fireEvent.click(s.getByRole('radio', { name: 'Always' }));
    await waitFor(() => expect(s.getByTestId('notify-saved')).toBeTruthy());
    await fireEvent.click(s.getByRole('checkbox', { name: 'Outcomes from providers' }));
    const expected: NotifyPrefs[] = [
      { when: 'always', new_requests: true, outcomes: true, breaches: true },
      { when: 'always', new_requests: true, outcomes: false, breaches: true },
    ];
    await waitFor(() => expect(fake.callsTo('set_notify_prefs')).toEqual(expected.map((p) => [p])));
    await waitFor(() => expect(s.getByTestId('notify-saved').textContent).toBe('Saved'));
    expect(fake.notify.prefs).toEqual(expected[1]);
    expect(input(s.getByTestId('notify-when-always')).checked).toBe(true);
    expect(input(s.getByTestId('notify-outcomes')).checked).toBe(false);
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('keeps the last of quick changes, sent one after the other', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    const s = await openNotify(fake);
    await fireEvent.click(s.getByTestId('notify-new_requests'));
    await fireEvent.click(s.getByTestId('notify-breaches'));
    await fireEvent.click(s.getByTestId('notify-when-always'));
    await waitFor(() => expect(fake.callsTo('set_notify_prefs')).toHaveLength(3));
    expect(fake.callsTo('set_notify_prefs').at(-1)).toEqual([
      { when: 'always', new_requests: false, outcomes: true, breaches: false },
    ]);
    expect(fake.notify.prefs).toEqual({ when: 'always', new_requests: false, outcomes: true, breaches: false });
    await s.findByTestId('notify-saved');
    expect(input(s.getByTestId('notify-new_requests')).checked).toBe(false);
    expect(input(s.getByTestId('notify-breaches')).checked).toBe(false);
  });

  it('disables the kinds under "Never", keeping them as they were', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.notify.prefs = { ...DEFAULT_NOTIFY, outcomes: false };
    const s = await openNotify(fake);
    const boxes = () => ['new_requests', 'outcomes', 'breaches'].map((k) => input(s.getByTestId(`notify-${k}`)));
    expect(boxes().map((b) => b.disabled)).toEqual([false, false, false]);

    await fireEvent.click(s.getByRole('radio', { name: 'Never' }));
    await waitFor(() =>
      expect(fake.callsTo('set_notify_prefs')).toEqual([[{ when: 'never', new_requests: true, outcomes: false, breaches: true }]]),
    );
    expect(boxes().map((b) => b.disabled)).toEqual([true, true, true]);
    expect(boxes().map((b) => b.checked)).toEqual([true, false, true]);
    const kinds = s.getByRole('group', { name: 'Notify about' });
    expect(kinds.getAttribute('aria-describedby')).toBe('notify-never-hint');
    expect(s.getByTestId('notify-never-hint').textContent).toContain('no popups show at all');

    await fireEvent.click(s.getByRole('radio', { name: 'Only when Cashdesk is not in front' }));
    await waitFor(() => expect(fake.callsTo('set_notify_prefs')).toHaveLength(2));
    expect(fake.callsTo('set_notify_prefs')[1]).toEqual([{ when: 'unfocused', new_requests: true, outcomes: false, breaches: true }]);
    expect(boxes().map((b) => b.disabled)).toEqual([false, false, false]);
    expect(s.queryByTestId('notify-never-hint')).toBeNull();
  });

  it('shows the core\'s error when a save is refused, and puts the controls back', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.notify.failNext = { code: 'storage', message: 'The database is busy: nothing was saved.' };
    const s = await openNotify(fake);

    await fireEvent.click(s.getByRole('radio', { name: 'Never' }));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('The database is busy: nothing was saved.');
    await waitFor(() => expect(input(s.getByTestId('notify-when-unfocused')).checked).toBe(true));
    expect(input(s.getByTestId('notify-when-never')).checked).toBe(false);
    expect(input(s.getByTestId('notify-outcomes')).disabled).toBe(false);
    expect(s.queryByTestId('notify-saved')).toBeNull();
    expect(fake.notify.prefs).toEqual(DEFAULT_NOTIFY);

    // The next change goes through.
    await fireEvent.click(s.getByTestId('notify-outcomes'));
    await s.findByTestId('notify-saved');
    expect(fake.callsTo('set_notify_prefs').at(-1)).toEqual([{ ...DEFAULT_NOTIFY, outcomes: false }]);
  });

  it('says why when the preferences cannot be read', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.notify.failRead = { code: 'storage', message: 'Could not read the settings.' };
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('settings'));
    const error = await screen.findByTestId('notify-error');
    expect(error.textContent).toBe('Could not read the settings.');
    expect(screen.queryByTestId('notify-when')).toBeNull();
  });

  it('is there for an agent too, who sets them for this desk', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.as('op-2');
    const s = await openNotify(fake);
    expect(screen.queryByTestId('desk-policy')).toBeNull();
    await fireEvent.click(s.getByRole('checkbox', { name: 'New requests' }));
    await waitFor(() => expect(fake.callsTo('set_notify_prefs')).toEqual([[{ ...DEFAULT_NOTIFY, new_requests: false }]]));
    await s.findByTestId('notify-saved');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it.each([
    ['bn', 'পপআপ দেখান', 'শুধু যখন Cashdesk সামনে নেই', 'শেষ সময় পেরোনো অনুরোধ — সুপারভাইজার'],
    ['ur', 'پاپ اپ دکھائیں', 'صرف جب Cashdesk سامنے نہ ہو', 'آخری وقت گزری درخواستیں — سپروائزر'],
  ])('speaks %s, with no serious axe finding', async (code, legend, radio, checkbox) => {
    await setLocale(code);
    const fake = new FakeBackend([makeRequest(1)]);
    fake.notify.prefs = { ...DEFAULT_NOTIFY, when: 'never' };
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('settings'));
    const section = await screen.findByTestId('notify');
    const s = within(section);
    await s.findByRole('group', { name: legend });
    expect(s.getByRole('radio', { name: radio })).toBeTruthy();
    expect(input(s.getByRole('checkbox', { name: checkbox })).disabled).toBe(true);
    const result = await axe.run(section, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
