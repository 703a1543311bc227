import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lineStates, readyToSign, signForm } from '../lib/shift';
import { FakeBackend } from './fake';
import { previewLines } from './fake-desk';
import { renderApp } from './render';

async function openShift(fake: FakeBackend) {
  const r = await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('supervisor'));
  await fireEvent.click(await screen.findByTestId('sv-tab-shift'));
  await screen.findByTestId('shift-view');
  return r;
}

async function preview(fake: FakeBackend) {
  await openShift(fake);
  await fireEvent.click(await screen.findByTestId('shift-preview'));
  await screen.findAllByTestId('shift-line');
}

const line = (account: string) => screen.getAllByTestId('shift-line').find((l) => l.dataset.account === account)!;
const sign = () => screen.getByTestId('shift-sign') as HTMLButtonElement;

async function type(el: HTMLElement, value: string) {
  await fireEvent.input(el, { target: { value } });
}

describe('opening a shift', () => {
  it('explains the first shift and sends the typed balances', async () => {
    const fake = new FakeBackend();
    fake.sv.noShifts();
    await openShift(fake);
    const form = await screen.findByTestId('shift-open-form');
    expect(form.textContent).toContain(
      'Open the first shift: balances the providers report are read from them; type the opening balance of accounts whose provider reports none.',
    );
    expect(screen.getByTestId('shift-none-closed')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('shift-add-balance'));
    await fireEvent.click(screen.getByTestId('shift-add-balance'));
    const accounts = screen.getAllByTestId('shift-balance-account') as HTMLSelectElement[];
    expect([...accounts[0].options].map((o) => [o.value, o.textContent])).toEqual([['acc-1', 'Zexabit sandbox (Zexabit)']]);
    await type(screen.getAllByTestId('shift-balance-currency')[0], 'bdt');
    await type(screen.getAllByTestId('shift-balance-amount')[0], '-1500.50');
    await type(screen.getAllByTestId('shift-balance-wallet')[1], 'nagad');
    await type(screen.getAllByTestId('shift-balance-currency')[1], 'BDT');
    await type(screen.getAllByTestId('shift-balance-amount')[1], '1,500');
    expect((screen.getByTestId('shift-open') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('shift-balance-problem').textContent).toContain('digits with a point');
    await type(screen.getAllByTestId('shift-balance-amount')[1], '250000');
    expect((screen.getByTestId('shift-open') as HTMLButtonElement).disabled).toBe(false);

    await fireEvent.click(screen.getByTestId('shift-open'));
    await waitFor(() =>
      expect(fake.callsTo('open_shift')).toEqual([
        [
          [
            { account_id: 'acc-1', currency: 'BDT', amount: '-1500.50' },
            { account_id: 'acc-1', wallet: 'nagad', currency: 'BDT', amount: '250000' },
          ],
        ],
      ]),
    );
    const info = await screen.findByTestId('shift-info');
    expect(info.textContent).toContain('Shift 1');
    expect(info.textContent).toContain('opened by Asha');
  });

  it('opens with no typed balance, and shows a refusal in the banner', async () => {
    const fake = new FakeBackend();
    fake.sv.noShifts();
    fake.openShift = () => Promise.reject({ code: 'invalid_input', message: 'Zimo-pagos MX: balances not read; try again when it answers' });
    await openShift(fake);
    await fireEvent.click(await screen.findByTestId('shift-open'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('try again when it answers');
    expect(screen.getByTestId('shift-open-form')).toBeTruthy();
  });
});

describe('closing a shift', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lays the close out with notes, sources and the variances the providers give', async () => {
    const fake = new FakeBackend();
    await openShift(fake);
    const info = await screen.findByTestId('shift-info');
    expect(info.textContent).toContain('Shift 3');
    expect(info.textContent).toContain('opened by Rina');
    await fireEvent.click(screen.getByTestId('shift-preview'));
    const lines = await screen.findAllByTestId('shift-line');
    expect(lines.map((l) => [l.dataset.account, l.dataset.wallet, l.dataset.currency])).toEqual([
      ['acc-1', '', 'BDT'],
      ['acc-2', '', 'BDT'],
      ['acc-3', 'upi', 'INR'],
    ]);
    expect(screen.getByTestId('shift-note').textContent).toContain('Zimo-pagos MX');
    const a = line('acc-1');
    expect(a.textContent).toContain('Zexabit sandbox');
    expect(a.textContent).toContain('1,25,000.00');
    expect(a.textContent).toContain('from the provider');
    expect(a.textContent).toContain('48,250.50');
    expect(a.textContent).toContain('12 deposits');
    expect(a.textContent).toContain('3 withdrawals');
    expect(within(a).getByTestId('shift-expected').textContent).toBe('1,53,250.50');
    expect(within(a).getByTestId('shift-variance').textContent).toBe('0.00');
    expect(within(a).queryByTestId('shift-reason')).toBeNull();
    expect(within(a).queryByTestId('shift-closing')).toBeNull();
    expect(line('acc-2').textContent).toContain('typed');
    expect(line('acc-3').textContent).toContain('carried over');
    expect(within(line('acc-3')).getByTestId('shift-variance').textContent).toBe('-10.00');
    expect(within(line('acc-3')).getByTestId('shift-variance').classList.contains('nonzero')).toBe(true);
    expect(within(line('acc-3')).getByTestId('shift-reason')).toBeTruthy();
    expect(within(line('acc-2')).getByTestId('shift-variance').textContent).toBe('—');
    expect(sign().disabled).toBe(true);
  });

  it('computes the variance exactly as the closing is typed, and signs only when every variance has a reason', async () => {
    const fake = new FakeBackend();
    await preview(fake);
    const typed = line('acc-2');
    await type(within(typed).getByTestId('shift-closing'), '1490');
    expect(within(typed).getByTestId('shift-variance').textContent).toBe('-10.50');
    expect(typed.dataset.expected).toBe('1500.50');
    expect(typed.dataset.variance).toBe('-10.50');
    await type(within(typed).getByTestId('shift-closing'), '1600');
    expect(within(typed).getByTestId('shift-variance').textContent).toBe('+99.50');
    await type(within(typed).getByTestId('shift-closing'), '1500.5');
    expect(within(typed).getByTestId('shift-variance').textContent).toBe('0.00');
    expect(within(typed).queryByTestId('shift-reason')).toBeNull();
    await type(within(typed).getByTestId('shift-closing'), '1490');

    await type(screen.getByTestId('shift-secret'), 'correct horse');
    expect(sign().disabled).toBe(true);
    await type(within(line('acc-2')).getByTestId('shift-reason'), 'Change given from the till');
    expect(sign().disabled).toBe(true);
    await type(within(line('acc-3')).getByTestId('shift-reason'), '  Provider fee taken at settlement ');
    expect(sign().disabled).toBe(false);
    await type(screen.getByTestId('shift-secret'), '');
    expect(sign().disabled).toBe(true);
    await type(screen.getByTestId('shift-secret'), 'correct horse');

    await fireEvent.click(sign());
    await waitFor(() =>
      expect(fake.callsTo('sign_close')).toEqual([
        [
          {
            token: 'close-1',
            balances: [{ account_id: 'acc-2', wallet: '', currency: 'BDT', amount: '1490' }],
            reasons: [
              { account_id: 'acc-2', wallet: '', currency: 'BDT', reason: 'Change given from the till' },
              { account_id: 'acc-3', wallet: 'upi', currency: 'INR', reason: 'Provider fee taken at settlement' },
            ],
            secret: 'correct horse',
          },
        ],
      ]),
    );

    const report = await screen.findByTestId('shift-report');
    expect(report.classList.contains('print-area')).toBe(true);
    expect(report.textContent).toContain('Shift report');
    expect(screen.getByTestId('shift-report-id').textContent).toBe('3');
    expect(screen.getByTestId('shift-report-signed').textContent).toBe('Asha');
    expect(screen.getByTestId('shift-variances').textContent?.trim()).toBe('2 lines with a variance.');
    expect(within(line('acc-2')).getByTestId('shift-variance').textContent).toBe('-10.50');
    expect(within(line('acc-2')).getByTestId('shift-line-reason').textContent).toBe('Change given from the till');
    expect(line('acc-2').textContent).toContain('1,490.00');

    await fireEvent.click(screen.getByTestId('shift-export'));
    expect((await screen.findByTestId('shift-export-result')).textContent).toBe('Saved to /home/asha/Downloads/cashdesk-shift-3.csv');
    expect(fake.callsTo('export_shift')).toEqual([[3]]);

    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    await fireEvent.click(screen.getByTestId('shift-print'));
    expect(print).toHaveBeenCalledTimes(1);

    await fireEvent.click(screen.getByTestId('shift-report-back'));
    const rows = await screen.findAllByTestId('shift-closed-row');
    expect(rows.map((r) => r.dataset.id)).toEqual(['3', '2', '1']);
    expect(screen.getByTestId('shift-info').textContent).toContain('Shift 4');
  });

  it('keeps the close unsigned when the password is wrong', async () => {
    const fake = new FakeBackend();
    await preview(fake);
    await type(within(line('acc-2')).getByTestId('shift-closing'), '1500.50');
    await type(within(line('acc-3')).getByTestId('shift-reason'), 'Provider fee');
    await type(screen.getByTestId('shift-secret'), 'wrong horse');
    await fireEvent.click(sign());
    expect((await screen.findByTestId('error-banner')).textContent).toContain('not yours');
    expect(screen.queryByTestId('shift-report')).toBeNull();
    expect((screen.getByTestId('shift-secret') as HTMLInputElement).value).toBe('');
  });

  it('opens a closed shift’s report from the list', async () => {
    const fake = new FakeBackend();
    await openShift(fake);
    const rows = await screen.findAllByTestId('shift-closed-row');
    expect(rows.map((r) => r.dataset.id)).toEqual(['2', '1']);
    expect(rows[0].textContent).toContain('opened by Rina, closed by Rina');
    await fireEvent.click(rows[0]);
    const report = await screen.findByTestId('shift-report');
    expect(report.dataset.id).toBe('2');
    expect(fake.callsTo('shift_report')).toEqual([[2]]);
    expect(screen.getByTestId('shift-variances').textContent?.trim()).toBe('2 lines with a variance.');
    expect(report.textContent).toContain('Change given from the till');
    expect(report.textContent).toContain('Provider fee taken at settlement');
  });
});

describe('the close form', () => {
  it('sends typed closings and the reasons of non-zero variances only', () => {
    const lines = previewLines();
    const key = (a: string, w: string, c: string) => `${a}\u0000${w}\u0000${c}`;
    const states = lineStates(lines, { [key('acc-2', '', 'BDT')]: ' 1500.50 ' }, { [key('acc-3', 'upi', 'INR')]: 'fee' });
    expect(states.map((s) => s.variance)).toEqual(['0.00', '0.00', '-10.00']);
    expect(states.map((s) => s.needsReason)).toEqual([false, false, true]);
    expect(readyToSign(states, '')).toBe(false);
    expect(readyToSign(states, '0451')).toBe(true);
    const preview = { token: 't', as_of: '', shift: { id: 3, opened_at: '', opened_by: '', closed_at: null, closed_by: null }, lines, notes: [] };
    expect(signForm(preview, states, '0451')).toEqual({
      token: 't',
      balances: [{ account_id: 'acc-2', wallet: '', currency: 'BDT', amount: '1500.50' }],
      reasons: [{ account_id: 'acc-3', wallet: 'upi', currency: 'INR', reason: 'fee' }],
      secret: '0451',
    });
    expect(readyToSign(lineStates(lines, { [key('acc-2', '', 'BDT')]: '1,500' }, {}), 'x')).toBe(false);
  });
});
