import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DraftSaver, SAVE_DELAY_MS } from '../lib/draft.svelte';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

describe('DraftSaver', () => {
  afterEach(() => vi.useRealTimers());

  it('debounces keystrokes and creates the draft once', async () => {
    vi.useFakeTimers();
    const fake = new FakeBackend();
    const saver = new DraftSaver(fake, (e) => { throw e; }, null);
    for (const ch of ['1', '12', '125']) {
      saver.fields.amount = ch;
      saver.changed();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(fake.callsTo('save_draft')).toHaveLength(0);
    expect(saver.state).toBe('dirty');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(fake.callsTo('save_draft')).toHaveLength(1);
    expect(saver.state).toBe('saved');
    expect(saver.id).toBe('draft-1');

    saver.fields.amount = '1250';
    saver.changed();
    await saver.flush(); // blur saves at once
    const calls = fake.callsTo('save_draft');
    expect(calls).toHaveLength(2);
    expect(calls[1][0]).toBe('draft-1');
    expect(fake.drafts).toHaveLength(1);
    expect(fake.drafts[0].fields.amount).toBe('1250');
  });

  it('never creates two drafts when saves overlap', async () => {
    const fake = new FakeBackend();
    const saver = new DraftSaver(fake, (e) => { throw e; }, null);
    saver.fields.amount = '5';
    saver.changed();
    const first = saver.flush();
    saver.fields.amount = '50';
    saver.changed();
    await Promise.all([first, saver.flush()]);
    expect(fake.drafts).toHaveLength(1);
    expect(fake.drafts[0].fields.amount).toBe('50');
    expect(fake.callsTo('save_draft').map((c) => c[0])).toEqual([null, 'draft-1']);
  });
});

describe('draft form', () => {
  it('saves typing through save_draft, debounced, and shows Saved', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('new-request'));
    const amount = await screen.findByTestId('draft-amount');
    await fireEvent.input(amount, { target: { value: '5' } });
    await fireEvent.input(amount, { target: { value: '50' } });
    await fireEvent.input(amount, { target: { value: '500' } });
    expect(screen.getByTestId('draft-saved').textContent).toBe('Saving…');
    expect(fake.callsTo('save_draft')).toHaveLength(0);
    await waitFor(() => expect(screen.getByTestId('draft-saved').textContent).toBe('Saved'));
    expect(fake.callsTo('save_draft')).toHaveLength(1);
    expect(fake.drafts[0].fields.amount).toBe('500');
  });

  it('fills a deposit, gets an agent number and submits it to the queue', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('new-request'));
    await fireEvent.change(await screen.findByTestId('draft-kind'), { target: { value: 'deposit' } });
    await fireEvent.change(screen.getByTestId('draft-account'), { target: { value: 'acc-1' } });
    await waitFor(() => expect(screen.getByText('bKash (BDT)')).toBeTruthy());
    await fireEvent.change(screen.getByTestId('draft-method'), { target: { value: 'bkash' } });
    expect(screen.getByText(/Limits 100.00 – 25000.00 BDT/)).toBeTruthy();
    await fireEvent.input(screen.getByTestId('draft-amount'), { target: { value: '700.00' } });
    await fireEvent.input(screen.getByTestId('draft-trx-id'), { target: { value: 'TRXABC' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Get agent number' }));
    expect(await screen.findByText(/Send money to this number/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('draft-submit'));
    await waitFor(() => expect(fake.callsTo('submit_draft')).toEqual([['draft-1']]));
    const saved = fake.callsTo('save_draft').at(-1)?.[1] as Record<string, unknown>;
    expect(saved).toMatchObject({ kind: 'deposit', account_id: 'acc-1', method: 'bkash', amount: '700.00', trx_id: 'TRXABC', agent_number: '01811111111' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    expect(fake.callsTo('save_draft').filter((c) => c[0] === null)).toHaveLength(1);
  });

  it('shows a validation error from submit', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('new-request'));
    await fireEvent.click(await screen.findByTestId('draft-submit'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('amount: enter an amount');
    expect(screen.getByTestId('draft-form')).toBeTruthy();
  });

  it('offers saved drafts to resume and discards with confirmation', async () => {
    const fake = new FakeBackend();
    await fake.saveDraft(null, { kind: 'withdrawal', account_id: 'acc-1', method: '', amount: '900', end_user_ref: 'U-7', end_user_name: '', provider_user_id: '', trx_id: '', sender: '', destination: '0171', agent_number: '', note: '', details: {} });
    await renderApp(fake);
    const resume = await screen.findByTestId('draft-resume');
    expect(resume.textContent).toContain('Resume draft');
    await fireEvent.click(resume);
    expect(((await screen.findByTestId('draft-destination')) as HTMLInputElement).value).toBe('0171');
    expect(screen.getByTestId('draft-saved').textContent).toBe('Saved');
    await fireEvent.click(screen.getByTestId('draft-discard'));
    expect(fake.callsTo('discard_draft')).toEqual([]);
    await fireEvent.click(screen.getByTestId('draft-discard'));
    await waitFor(() => expect(fake.callsTo('discard_draft')).toEqual([['draft-1']]));
    await waitFor(() => expect(screen.queryByTestId('draft-form')).toBeNull());
    expect(screen.queryByTestId('draft-resume')).toBeNull();
  });
});
