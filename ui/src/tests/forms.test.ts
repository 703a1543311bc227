import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { DraftFields } from '../lib/bindings/DraftFields';
import type { RequestForm } from '../lib/bindings/RequestForm';
import { emptyFields } from '../lib/draft.svelte';
import { FakeBackend } from './fake';
import { renderApp } from './render';

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
const PNG_BASE64 = 'iVBORw0KGgo=';

function paykassmaForm(): RequestForm {
  return {
    account_id: 'acc-2',
    provider: 'paykassma',
    kinds: ['deposit', 'withdrawal'],
    methods: [
      { method: 'nagad_manual', label: 'Nagad (manual)', currency: 'BDT', kind: 'deposit', min_amount: null, max_amount: null, manual: true, screenshot: true },
      { method: 'bkash_p2c', label: 'bKash P2C', currency: 'BDT', kind: null, min_amount: '200.00', max_amount: null, manual: false, screenshot: false },
      { method: 'rocket_out', label: 'Rocket payout', currency: 'BDT', kind: 'withdrawal', min_amount: '50.00', max_amount: '9000.00', manual: false, screenshot: false },
    ],
    details: [
      { name: 'payer_phone', label: 'Payer phone', hint: 'The wallet the customer paid from', kind: 'deposit', required_for: ['nagad_manual'], number: false },
      { name: 'bank_details.bank_code', label: 'Bank code', hint: '', kind: 'withdrawal', required_for: ['*'], number: true },
      { name: 'comment', label: 'Comment to Paykassma', hint: '', kind: null, required_for: [], number: false },
    ],
    agent_numbers: false,
    unavailable: null,
  };
}

function withPaykassma(): FakeBackend {
  const fake = new FakeBackend();
  fake.accounts.push({ id: 'acc-2', provider: 'paykassma', provider_label: 'Paykassma', name: 'Paykassma BD', base_url: 'http://127.0.0.1:7503', sandbox: true });
  fake.requestForms['acc-2'] = paykassmaForm();
  return fake;
}

async function openForm(fake: FakeBackend, kind: string, account: string) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('new-request'));
  await fireEvent.change(await screen.findByTestId('draft-kind'), { target: { value: kind } });
  await fireEvent.change(screen.getByTestId('draft-account'), { target: { value: account } });
  await waitFor(() => expect(fake.callsTo('request_form')).toContainEqual([account]));
}

const methodOptions = () =>
  Array.from((screen.getByTestId('draft-method') as HTMLSelectElement).options)
    .map((o) => o.value)
    .filter((v) => v !== '');
const detail = (name: string) => screen.queryByTestId(`draft-detail-${name}`) as HTMLInputElement | null;

describe('desk request form per provider', () => {
  it('offers the methods and detail fields of the chosen kind, marking required ones, and saves them', async () => {
    const fake = withPaykassma();
    await openForm(fake, 'deposit', 'acc-2');
    await waitFor(() => expect(methodOptions()).toEqual(['nagad_manual', 'bkash_p2c']));
    expect(screen.getByText('Nagad (manual) (BDT)')).toBeTruthy();
    expect(fake.callsTo('list_methods')).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Get agent number' })).toBeNull();

    expect(detail('payer_phone')).toBeTruthy();
    expect(detail('comment')).toBeTruthy();
    expect(detail('bank_details.bank_code')).toBeNull();
    expect(detail('payer_phone')!.getAttribute('aria-required')).toBe('false');
    expect(screen.getByText('The wallet the customer paid from')).toBeTruthy();

    await fireEvent.change(screen.getByTestId('draft-method'), { target: { value: 'bkash_p2c' } });
    expect(screen.getByText('Limits from 200.00 BDT')).toBeTruthy();
    expect(screen.queryByTestId('draft-manual')).toBeNull();
    expect(screen.queryByTestId('draft-screenshot')).toBeNull();

    await fireEvent.change(screen.getByTestId('draft-method'), { target: { value: 'nagad_manual' } });
    expect(screen.queryByText(/^Limits/)).toBeNull();
    expect(screen.getByTestId('draft-manual').textContent).toBe('Manual system: sent with the payment screenshot');
    const phone = detail('payer_phone')!;
    expect(phone.getAttribute('aria-required')).toBe('true');
    expect(phone.closest('.field')!.querySelector('.req')).toBeTruthy();
    expect(screen.getByLabelText(/Payer phone/)).toBe(phone);

    await fireEvent.input(phone, { target: { value: '01712345678' } });
    await fireEvent.input(detail('comment')!, { target: { value: 'walk-in' } });
    await fireEvent.input(screen.getByTestId('draft-amount'), { target: { value: '1500' } });
    await waitFor(() => expect(screen.getByTestId('draft-saved').textContent).toBe('Saved'));
    const saved = fake.callsTo('save_draft').at(-1)?.[1] as DraftFields;
    expect(saved).toMatchObject({ kind: 'deposit', account_id: 'acc-2', method: 'nagad_manual', amount: '1500' });
    expect(saved.details).toEqual({ payer_phone: '01712345678', comment: 'walk-in' });

    await fireEvent.change(screen.getByTestId('draft-kind'), { target: { value: 'withdrawal' } });
    expect(methodOptions()).toEqual(['bkash_p2c', 'rocket_out']);
    expect((screen.getByTestId('draft-method') as HTMLSelectElement).value).toBe('');
    expect(detail('payer_phone')).toBeNull();
    const code = detail('bank_details.bank_code')!;
    expect(code.getAttribute('aria-required')).toBe('true');
    expect(detail('comment')!.value).toBe('walk-in');
  });

  it('keeps a reopened draft’s details and shows its screenshot', async () => {
    const fake = withPaykassma();
    const view = await fake.saveDraft(null, {
      ...emptyFields(),
      kind: 'deposit',
      account_id: 'acc-2',
      method: 'nagad_manual',
      details: { payer_phone: '01999999999' },
    });
    await fake.attachScreenshot({ type: 'draft', id: view.id }, { file_name: 'nagad.png', content_type: 'image/png', data_base64: PNG_BASE64 });
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('draft-resume'));
    await waitFor(() => expect(detail('payer_phone')?.value).toBe('01999999999'));
    expect(screen.getByTestId('draft-screenshot-name').textContent).toContain('nagad.png');
  });

  it('disables the kinds an account does not take', async () => {
    const fake = new FakeBackend();
    fake.accounts.push({ id: 'acc-2', provider: 'zimo_pagos', provider_label: 'Zimo-pagos', name: 'Zimo MX', base_url: 'http://127.0.0.1:7504', sandbox: true });
    fake.requestForms['acc-2'] = { ...paykassmaForm(), provider: 'zimo_pagos', kinds: ['withdrawal'], details: [] };
    await openForm(fake, 'deposit', 'acc-2');
    const kind = screen.getByTestId('draft-kind') as HTMLSelectElement;
    await waitFor(() => expect(within(kind).getByRole('option', { name: 'Deposit' }).hasAttribute('disabled')).toBe(true));
    expect(within(kind).getByRole('option', { name: 'Withdrawal' }).hasAttribute('disabled')).toBe(false);
    expect(screen.getByTestId('draft-kind-refused').textContent).toContain('takes no deposits');
  });

  it('shows why a CashWeb-like account files nothing and disables submit', async () => {
    const fake = new FakeBackend();
    fake.accounts.push({ id: 'acc-2', provider: 'cashweb', provider_label: 'CashWeb', name: 'CashWeb', base_url: 'http://127.0.0.1:7505', sandbox: true });
    fake.requestForms['acc-2'] = {
      account_id: 'acc-2',
      provider: 'cashweb',
      kinds: [],
      methods: [],
      details: [],
      agent_numbers: false,
      unavailable: "CashWeb deposits arrive from CashWeb's own transaction list; nothing is filed at the desk.",
    };
    await openForm(fake, 'deposit', 'acc-2');
    expect((await screen.findByTestId('draft-unavailable')).textContent).toContain('nothing is filed at the desk');
    const kind = screen.getByTestId('draft-kind') as HTMLSelectElement;
    expect(within(kind).getByRole('option', { name: 'Deposit' }).hasAttribute('disabled')).toBe(true);
    expect(within(kind).getByRole('option', { name: 'Withdrawal' }).hasAttribute('disabled')).toBe(true);
    expect((screen.getByTestId('draft-submit') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('draft-method') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByTestId('draft-kind-refused')).toBeNull();
  });

  it('attaches a payment screenshot to the draft as base64 and shows its name', async () => {
    const fake = withPaykassma();
    await openForm(fake, 'deposit', 'acc-2');
    await waitFor(() => expect(methodOptions()).toContain('nagad_manual'));
    await fireEvent.change(screen.getByTestId('draft-method'), { target: { value: 'nagad_manual' } });
    const input = screen.getByTestId('draft-screenshot') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/*');
    expect(screen.getByLabelText('Payment screenshot')).toBe(input);
    const file = new File([PNG], 'receipt.png', { type: 'image/png' });
    await fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(fake.callsTo('attach_screenshot')).toHaveLength(1));
    expect(fake.callsTo('attach_screenshot')[0]).toEqual([
      { type: 'draft', id: 'draft-1' },
      { file_name: 'receipt.png', content_type: 'image/png', data_base64: PNG_BASE64 },
    ]);
    expect(fake.callsTo('save_draft')[0][0]).toBeNull();
    expect(fake.drafts).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('draft-screenshot-name').textContent).toContain('receipt.png'));
  });

  it('reports a refused screenshot in the error banner', async () => {
    const fake = withPaykassma();
    fake.attachScreenshot = () => Promise.reject({ code: 'invalid_input', message: 'screenshot: only JPEG or PNG up to 5 MB' });
    await openForm(fake, 'deposit', 'acc-2');
    await waitFor(() => expect(methodOptions()).toContain('nagad_manual'));
    await fireEvent.change(screen.getByTestId('draft-method'), { target: { value: 'nagad_manual' } });
    const file = new File([PNG], 'huge.gif', { type: 'image/gif' });
    await fireEvent.change(screen.getByTestId('draft-screenshot'), { target: { files: [file] } });
    expect((await screen.findByTestId('error-banner')).textContent).toContain('only JPEG or PNG up to 5 MB');
    expect(screen.getByTestId('draft-screenshot-name').textContent).toContain('No screenshot attached yet.');
  });
});
