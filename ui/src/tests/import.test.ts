import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

const CSV = [
  'intake_ref,kind,provider,account,method,amount,currency,end_user_ref',
  'P-1,deposit,zexabit,acc-1,bkash,500.00,BDT,u-1',
  'P-2,deposit,zexabit,acc-1,bkash,,BDT,u-2',
  'P-3,withdrawal,zexabit,acc-1,nagad,700.00,BDT,u-3',
].join('\n');

async function pick(text: string, name = 'batch.csv') {
  const input = screen.getByTestId('import-file') as HTMLInputElement;
  expect(input.accept).toBe('.csv,text/csv');
  await fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });
}

async function openImport(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('import-csv'));
  return screen.findByRole('dialog', { name: 'Import requests from CSV' });
}

describe('CSV import', () => {
  it('lists the columns it takes', async () => {
    const dialog = await openImport(new FakeBackend());
    for (const c of ['intake_ref', 'end_user_name', 'provider_user_id', 'details.<field>', 'details.bank_details.bank_code']) {
      expect(within(dialog).getAllByText(c).length).toBeGreaterThan(0);
    }
  });

  it('shows the refused rows first, with their reasons, when nothing was filed', async () => {
    const fake = new FakeBackend();
    fake.importReport = () => ({
      committed: false,
      filed: 0,
      already_filed: 0,
      file_error: null,
      rows: [
        { line: 2, intake_ref: 'P-1', ok: true, message: 'ok' },
        { line: 3, intake_ref: 'P-2', ok: false, message: 'amount: enter an amount' },
        { line: 4, intake_ref: 'P-3', ok: false, message: 'method: Zexabit has no withdrawal method nagad' },
      ],
    });
    await openImport(fake);
    await pick(CSV);
    const report = await screen.findByTestId('import-report');
    expect(fake.callsTo('import_csv')).toEqual([[CSV]]);
    expect(report.getAttribute('data-committed')).toBe('false');
    expect(within(report).getByRole('status').textContent?.trim()).toBe('Nothing was imported: 2 rows need fixing');
    const rows = within(report).getAllByTestId('import-row');
    expect(rows.map((r) => r.getAttribute('data-line'))).toEqual(['3', '4', '2']);
    expect(rows[0].textContent).toContain('P-2');
    expect(rows[0].textContent).toContain('refused');
    expect(rows[0].textContent).toContain('amount: enter an amount');
    expect(rows[2].textContent).toContain('ok');
    expect(rows[2].textContent).not.toContain('refused');
  });

  it('says what is wrong with the file as a whole', async () => {
    const fake = new FakeBackend();
    fake.importReport = () => ({
      committed: false,
      filed: 0,
      already_filed: 0,
      file_error: 'line 1: unknown column “amout”',
      rows: [],
    });
    await openImport(fake);
    await pick('intake_ref,amout\nP-1,5\n');
    const report = await screen.findByTestId('import-report');
    expect(within(report).getByRole('status').textContent?.trim()).toBe('Nothing was imported: line 1: unknown column “amout”');
    expect(within(report).queryAllByTestId('import-row')).toHaveLength(0);
  });

  it('summarises a filed batch, counting rows filed before', async () => {
    const fake = new FakeBackend();
    fake.importReport = () => ({
      committed: true,
      filed: 2,
      already_filed: 1,
      file_error: null,
      rows: [
        { line: 2, intake_ref: 'P-1', ok: true, message: 'already filed' },
        { line: 3, intake_ref: 'P-2', ok: true, message: 'filed' },
        { line: 4, intake_ref: 'P-3', ok: true, message: 'filed' },
      ],
    });
    await openImport(fake);
    await pick(CSV);
    const report = await screen.findByTestId('import-report');
    expect(report.getAttribute('data-committed')).toBe('true');
    expect(within(report).getByRole('status').textContent?.trim()).toBe('Filed 2 new requests (1 was already filed)');
    await fireEvent.click(screen.getByTestId('import-close'));
    await waitFor(() => expect(screen.queryByTestId('import-dialog')).toBeNull());
  });

  it('shows a failed call in the dialog', async () => {
    const fake = new FakeBackend();
    fake.importCsv = () => Promise.reject({ code: 'invalid_input', message: 'The file is larger than 5 MB.' });
    await openImport(fake);
    await pick(CSV);
    expect((await screen.findByTestId('import-error')).textContent).toContain('The file is larger than 5 MB.');
    expect(screen.queryByTestId('import-report')).toBeNull();
  });
});
