import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodInfo } from '../lib/bindings/MethodInfo';
import { setLocale } from '../lib/i18n';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  localStorage.clear();
});

const method = (id: string, label: string): MethodInfo => ({
  method: id,
  label,
  currency: 'BDT',
  kind: null,
  min_amount: null,
  max_amount: null,
  manual: false,
  screenshot: false,
});

/** A desk whose account offers bKash, Nagad and Rocket; Nagad waits 10 minutes of its own. */
function deskWithSlas(): FakeBackend {
  const fake = new FakeBackend([makeRequest(1), makeRequest(2, { method: 'nagad', method_label: 'Nagad' })]);
  fake.methods = [method('bkash', 'bKash'), method('nagad', 'Nagad'), method('rocket', 'Rocket')];
  fake.methodSla.minutes = { nagad: 10 };
  return fake;
}

/** Opens Settings and answers the section once its list (or its failure) is there. */
async function openSection(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('settings'));
  const section = await screen.findByTestId('method-sla');
  const s = within(section);
  await waitFor(() => expect(s.queryByText('Loading…')).toBeNull());
  return s;
}

const rowsOf = (s: ReturnType<typeof within>) =>
  s
    .queryAllByTestId('method-sla-row')
    .map((r: HTMLElement) => [...r.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()).join(' '));
const select = (s: ReturnType<typeof within>) => s.getByTestId('method-sla-method') as HTMLSelectElement;
const minutesInput = (s: ReturnType<typeof within>) => s.getByTestId('method-sla-minutes-input') as HTMLInputElement;

describe('Settings → SLA per payment method', () => {
  it('shows an admin the methods with an SLA of their own, with a hint about the others', async () => {
    const fake = deskWithSlas();
    fake.methodSla.minutes = { nagad: 10, upay: 45 };
    const s = await openSection(fake);
    expect(fake.callsTo('method_slas')).toEqual([[]]);
    // Labels from the accounts' method lists; a method no account offers now is shown by its id.
    await waitFor(() => expect(rowsOf(s)).toEqual(['Nagad nagad 10 Remove', 'upay 45 Remove']));
    const hint = s.getByTestId('method-sla-hint').textContent!;
    expect(hint).toContain("use the desk's SLA (30 min)");
    expect(hint).toContain('re-dates its waiting requests');
    // The methods the desk knows, and the one already in the list, by label.
    expect([...select(s).options].map((o) => o.value)).toEqual(['', 'bkash', 'nagad', 'rocket', 'upay']);
    expect(s.getByRole('form', { name: "Set a payment method's SLA" })).toBeTruthy();
    expect(fake.callsTo('set_method_sla')).toEqual([]);
  });

  it('adds a method’s SLA: sends the method and whole minutes, lists it, re-reads the queue', async () => {
    const fake = deskWithSlas();
    const s = await openSection(fake);
    await waitFor(() => expect(rowsOf(s)).toEqual(['Nagad nagad 10 Remove']));
    const queueReads = fake.callsTo('list_queue').length;
    await fireEvent.change(select(s), { target: { value: 'bkash' } });
    await fireEvent.input(minutesInput(s), { target: { value: ' 20 ' } });
    await fireEvent.click(s.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('set_method_sla')).toEqual([['bkash', 20]]));
    await s.findByTestId('method-sla-saved');
    expect(rowsOf(s)).toEqual(['bKash bkash 20 Remove', 'Nagad nagad 10 Remove']);
    expect(select(s).value).toBe('');
    expect(minutesInput(s).value).toBe('');
    // The core re-dated bKash's waiting requests: the queue is read again.
    await waitFor(() => expect(fake.callsTo('list_queue').length).toBeGreaterThan(queueReads));
    expect(fake.requests[0].summary.due_at).not.toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('changes a method’s SLA: choosing it shows its minutes', async () => {
    const fake = deskWithSlas();
    const s = await openSection(fake);
    await fireEvent.change(select(s), { target: { value: 'nagad' } });
    expect(minutesInput(s).value).toBe('10');
    await fireEvent.input(minutesInput(s), { target: { value: '25' } });
    await fireEvent.click(s.getByRole('button', { name: 'Change' }));
    await waitFor(() => expect(fake.callsTo('set_method_sla')).toEqual([['nagad', 25]]));
    await waitFor(() => expect(rowsOf(s)).toEqual(['Nagad nagad 25 Remove']));
  });

  it('removes a method’s SLA with minutes null', async () => {
    const fake = deskWithSlas();
    const s = await openSection(fake);
    await fireEvent.click(await s.findByRole('button', { name: 'Remove the SLA of Nagad' }));
    await waitFor(() => expect(fake.callsTo('set_method_sla')).toEqual([['nagad', null]]));
    await s.findByTestId('method-sla-none');
    expect(rowsOf(s)).toEqual([]);
    // Nagad's pending request is back on the desk's SLA (30 minutes after it was filed).
    const r = fake.requests[1].summary;
    expect(Date.parse(r.due_at!) - Date.parse(r.created_at)).toBe(30 * 60_000);
  });

  it('refuses minutes that are not whole, from 1 to 1440, before sending anything', async () => {
    const fake = deskWithSlas();
    const s = await openSection(fake);
    // No method chosen yet.
    await fireEvent.input(minutesInput(s), { target: { value: '15' } });
    await fireEvent.click(s.getByRole('button', { name: 'Save' }));
    expect(s.getByText('Choose a payment method.')).toBeTruthy();
    expect(select(s).getAttribute('aria-invalid')).toBe('true');

    await fireEvent.change(select(s), { target: { value: 'rocket' } });
    for (const bad of ['0', '1441', '1.5', '-5', 'abc', '', '10 min']) {
      await fireEvent.input(minutesInput(s), { target: { value: bad } });
      await fireEvent.click(s.getByRole('button', { name: 'Save' }));
      const error = s.getByTestId('method-sla-minutes-error');
      expect(error.textContent, bad).toBe('Whole minutes from 1 to 1440 (24 hours).');
      expect(minutesInput(s).getAttribute('aria-invalid')).toBe('true');
      expect(minutesInput(s).getAttribute('aria-describedby')).toBe(error.id);
    }
    expect(fake.callsTo('set_method_sla')).toEqual([]);

    // The bounds themselves are fine, typed in Bengali digits too.
    await fireEvent.input(minutesInput(s), { target: { value: '১৪৪০' } });
    await fireEvent.click(s.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('set_method_sla')).toEqual([['rocket', 1440]]));
    expect(s.queryByTestId('method-sla-minutes-error')).toBeNull();
  });

  it('shows the core’s needs_role refusal in the banner and keeps the list', async () => {
    const fake = deskWithSlas();
    const s = await openSection(fake);
    // The admin role was taken away while Settings was open: the core refuses.
    fake.desk.operators[0].roles = ['agent', 'supervisor'];
    await fireEvent.change(select(s), { target: { value: 'bkash' } });
    await fireEvent.input(minutesInput(s), { target: { value: '20' } });
    await fireEvent.click(s.getByRole('button', { name: 'Save' }));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('Needs an admin');
    expect(fake.callsTo('set_method_sla')).toEqual([['bkash', 20]]);
    expect(rowsOf(s)).toEqual(['Nagad nagad 10 Remove']);
    expect(s.queryByTestId('method-sla-saved')).toBeNull();
    // What was typed stays, to try again.
    expect(select(s).value).toBe('bkash');
    expect(minutesInput(s).value).toBe('20');
  });

  it('says in the section when the list cannot be read', async () => {
    const fake = deskWithSlas();
    fake.methodSla.failRead = { code: 'storage', message: 'Could not read the settings.' };
    const s = await openSection(fake);
    expect(s.getByTestId('method-sla-error').textContent).toBe('Could not read the settings.');
    expect(s.queryByTestId('method-sla-method')).toBeNull();
  });

  it.each([
    ['an agent', 'op-2'],
    ['a supervisor', 'op-3'],
  ])('is hidden for %s', async (_who, id) => {
    const fake = deskWithSlas();
    fake.desk.as(id);
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('settings'));
    await screen.findByTestId('notify');
    expect(screen.queryByTestId('method-sla')).toBeNull();
    expect(screen.queryByTestId('sla-minutes')).toBeNull();
    expect(fake.callsTo('method_slas')).toEqual([]);
  });

  it.each([
    ['bn', 'পেমেন্ট পদ্ধতি অনুযায়ী SLA', 'Nagad-এর SLA সরান'],
    ['ur', 'ادائیگی کے طریقے کے لحاظ سے SLA', 'Nagad کی SLA ہٹائیں'],
  ])('speaks %s, with no serious axe finding', async (code, title, remove) => {
    await setLocale(code);
    const fake = deskWithSlas();
    const s = await openSection(fake);
    expect(s.getByRole('heading', { name: title })).toBeTruthy();
    await s.findByRole('button', { name: remove });
    const result = await axe.run(screen.getByTestId('method-sla'), { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
