import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const PNG_BASE64 = 'iVBORw0KGgo=';

function paykassmaDeposit(n = 1) {
  return makeRequest(n, { provider: 'paykassma', provider_label: 'Paykassma', method: 'nagad_manual', method_label: 'Nagad' });
}

async function ready(fake: FakeBackend, id = 'req-1') {
  await renderApp(fake);
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe(id));
}

describe('detail: payment screenshot', () => {
  it('shows the attached screenshot with its name and size, larger on click', async () => {
    const fake = new FakeBackend([paykassmaDeposit()]);
    await fake.attachScreenshot({ type: 'request', id: 'req-1' }, { file_name: 'paid.png', content_type: 'image/png', data_base64: PNG_BASE64 });
    await ready(fake);
    const img = (await screen.findByTestId('detail-screenshot')) as HTMLImageElement;
    expect(img.alt).toBe('Payment screenshot paid.png');
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG_BASE64}`);
    expect(fake.callsTo('attachment_data')).toEqual([['att-1']]);
    expect(screen.getByText(/8 B/)).toBeTruthy();
    await fireEvent.click(img);
    const dialog = await screen.findByRole('dialog', { name: 'Payment screenshot' });
    expect(within(dialog).getByAltText('Payment screenshot paid.png (large)')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('attaches a screenshot to a pending Paykassma deposit and refreshes the detail', async () => {
    const fake = new FakeBackend([paykassmaDeposit()]);
    await ready(fake);
    expect(screen.queryByTestId('detail-screenshot')).toBeNull();
    const input = screen.getByTestId('detail-attach-screenshot') as HTMLInputElement;
    expect(screen.getByLabelText('Attach screenshot…')).toBe(input);
    const gets = fake.callsTo('get_request').length;
    const file = new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'later.png', { type: 'image/png' });
    await fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() =>
      expect(fake.callsTo('attach_screenshot')).toEqual([
        [{ type: 'request', id: 'req-1' }, { file_name: 'later.png', content_type: 'image/png', data_base64: PNG_BASE64 }],
      ]),
    );
    await waitFor(() => expect(fake.callsTo('get_request').length).toBeGreaterThan(gets));
    expect(((await screen.findByTestId('detail-screenshot')) as HTMLImageElement).alt).toBe('Payment screenshot later.png');
    expect(screen.getByLabelText('Replace screenshot…')).toBeTruthy();
  });

  it('offers no attaching for other providers, withdrawals or decided requests', async () => {
    const fake = new FakeBackend([
      makeRequest(1),
      makeRequest(2, { provider: 'paykassma', provider_label: 'Paykassma', kind: 'withdrawal' }),
      makeRequest(3, { provider: 'paykassma', provider_label: 'Paykassma', status: 'approved' }),
    ]);
    fake.requests[2].can_decide = false;
    await ready(fake);
    expect(screen.getByTestId('detail-facts')).toBeTruthy();
    expect(screen.queryByTestId('detail-attach-screenshot')).toBeNull();
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByTestId('detail-attach-screenshot')).toBeNull();
    await fireEvent.click(screen.getByTestId('tab-in_flight'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-3'));
    expect(screen.queryByTestId('detail-attach-screenshot')).toBeNull();
  });

  it('offers no attaching to a failed deposit, though it may be approved again', async () => {
    const fake = new FakeBackend([paykassmaDeposit()]);
    fake.requests[0].summary = { ...fake.requests[0].summary, status: 'failed', status_label: 'failed' };
    fake.requests[0].can_decide = true;
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('detail-attach-screenshot')).toBeNull();
  });
});

describe('detail: provider facts', () => {
  it('asks the provider when a Paykassma request opens and lists facts and media links', async () => {
    const fake = new FakeBackend([paykassmaDeposit()]);
    fake.requestReferences['req-1'] = {
      methods: [],
      facts: [
        { label: 'Savings', value: '12,000.00 BDT' },
        { label: 'Payment system', value: 'Nagad — manual' },
      ],
      media: ['https://cdn.example.com/nagad-howto.mp4'],
    };
    await ready(fake);
    const facts = await screen.findByTestId('detail-facts');
    await waitFor(() => expect(facts.textContent).toContain('12,000.00 BDT'));
    expect(fake.callsTo('request_reference')).toEqual([['req-1']]);
    expect(facts.textContent).toContain('Savings');
    expect(facts.textContent).toContain('Nagad — manual');
    const link = within(facts).getByRole('link', { name: 'https://cdn.example.com/nagad-howto.mp4' });
    expect(link.getAttribute('href')).toBe('https://cdn.example.com/nagad-howto.mp4');
  });

  it("warns before approving when the provider's figures speak against it", async () => {
    const fake = new FakeBackend([makeRequest(1, { kind: 'withdrawal' })]);
    fake.requestReferences['req-1'] = {
      methods: [],
      facts: [
        { label: 'User balance', value: '2,00,000.00 BDT' },
        {
          label: 'Withdrawable',
          value: '0.00 BDT',
          warning: 'This withdrawal (100.00 BDT) is more than the user may withdraw (0.00 BDT)',
        },
      ],
      media: [],
    };
    await ready(fake);
    const warning = await screen.findByTestId('fact-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toBe('This withdrawal (100.00 BDT) is more than the user may withdraw (0.00 BDT)');
    expect(screen.getAllByTestId('fact-warning')).toHaveLength(1);
  });

  it('shows a quiet waiting state, then a failure inline without the error banner', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    let fail: (e: unknown) => void = () => {};
    fake.requestReference = () => new Promise((_, reject) => (fail = reject));
    await ready(fake);
    const facts = await screen.findByTestId('detail-facts');
    expect(facts.textContent).toContain('Asking Zexabit…');
    fail({ code: 'provider', message: 'Zexabit could not be reached: connection refused' });
    expect((await screen.findByTestId('detail-facts-error')).textContent).toContain('connection refused');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('is not asked for providers without request facts', async () => {
    const fake = new FakeBackend([makeRequest(1, { provider: 'zimo_pagos', provider_label: 'Zimo-pagos', kind: 'withdrawal' })]);
    await ready(fake);
    expect(screen.queryByTestId('detail-facts')).toBeNull();
    expect(fake.callsTo('request_reference')).toEqual([]);
  });
});

describe('settings: reference data', () => {
  it('shows an account’s methods and balances, and hides them again', async () => {
    const fake = new FakeBackend();
    fake.accountReferences['acc-1'] = {
      methods: [
        { method: 'bkash', label: 'bKash', currency: 'BDT', kind: null, min_amount: '100.00', max_amount: '25000.00', manual: false, screenshot: false },
        { method: 'nagad_manual', label: 'Nagad', currency: 'BDT', kind: 'deposit', min_amount: null, max_amount: null, manual: true, screenshot: true },
      ],
      facts: [{ label: 'Balance BDT', value: '52,300.00 BDT' }],
      media: [],
    };
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('settings'));
    const button = await screen.findByTestId('account-reference-acc-1');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(button);
    const table = await screen.findByTestId('account-methods');
    expect(fake.callsTo('account_reference')).toEqual([['acc-1']]);
    const rows = within(table).getAllByRole('row').slice(1).map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent?.trim()));
    expect(rows).toEqual([
      ['bkash', 'bKash', 'BDT', 'both', '100.00 – 25000.00', ''],
      ['nagad_manual', 'Nagad', 'BDT', 'deposit', '—', 'manual screenshot'],
    ]);
    const panel = screen.getByTestId('account-reference-panel');
    expect(panel.textContent).toContain('Balance BDT');
    expect(panel.textContent).toContain('52,300.00 BDT');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByTestId('account-row')).toHaveLength(1);
    await fireEvent.click(button);
    expect(screen.queryByTestId('account-reference-panel')).toBeNull();
  });

  it('shows a failure inline', async () => {
    const fake = new FakeBackend();
    fake.accountReference = () => Promise.reject({ code: 'provider', message: 'Zexabit refused the request: UNAUTHORIZED' });
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('settings'));
    await fireEvent.click(await screen.findByTestId('account-reference-acc-1'));
    await waitFor(() => expect(screen.getByTestId('account-reference-panel').textContent).toContain('UNAUTHORIZED'));
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});
