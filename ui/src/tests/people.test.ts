import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { detailId, renderApp } from './render';

async function openPeople(fake: FakeBackend) {
  const r = await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('supervisor'));
  await fireEvent.click(await screen.findByTestId('sv-tab-people'));
  await screen.findAllByTestId('people-row');
  return r;
}

async function openPerson(fake: FakeBackend, id: string) {
  await openPeople(fake);
  const row = screen.getAllByTestId('people-row').find((r) => r.dataset.id === id)!;
  await fireEvent.click(row);
  await screen.findByTestId('person-totals');
}

const lastPersonQuery = (fake: FakeBackend) => fake.callsTo('person').at(-1)?.[0];

describe('people', () => {
  it('lists every operator with today’s figures, disabled ones dimmed', async () => {
    const fake = new FakeBackend();
    await openPeople(fake);
    const rows = screen.getAllByTestId('people-row');
    expect(rows.map((r) => r.dataset.id)).toEqual(['op-1', 'op-2', 'op-3', 'op-4']);
    expect(rows[1].textContent).toContain('Bilal');
    expect(rows[1].textContent).toContain('Agent');
    expect(within(rows[1]).getByTestId('people-decided').textContent).toBe('13');
    expect(within(rows[1]).getByTestId('people-rejected').textContent).toBe('4');
    expect(within(rows[1]).getByTestId('people-claims').textContent).toBe('1');
    expect(rows[0].textContent).toContain('Agent, Supervisor, Admin');
    expect(rows[3].classList.contains('disabled')).toBe(true);
    expect(rows[3].textContent).toContain('(disabled)');
    expect(rows[1].classList.contains('disabled')).toBe(false);
  });

  it('opens a person: totals against the limit, claims, decisions and rejections', async () => {
    const fake = new FakeBackend();
    await openPerson(fake, 'op-2');
    const page = screen.getByTestId('person-page');
    expect(page.dataset.id).toBe('op-2');
    expect(screen.getByTestId('person-name').textContent).toBe('Bilal');
    expect(lastPersonQuery(fake)).toEqual({ operator: 'op-2', limit: 50 });

    const totals = screen.getAllByTestId('person-total');
    expect(totals.map((t) => t.dataset.currency)).toEqual(['BDT', 'USDT']);
    expect(totals[0].dataset.level).toBe('near');
    expect(totals[0].textContent).toContain('41,500.00 BDT');
    expect(totals[0].textContent).toContain('of 50,000.00 BDT daily limit (83 %)');
    expect(within(totals[0]).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('83');
    expect(totals[1].textContent).toContain('no limit');
    expect(totals[1].dataset.level).toBe('none');

    const claims = screen.getAllByTestId('person-claim');
    expect(claims).toHaveLength(1);
    expect(claims[0].textContent).toContain('700.00 BDT');
    expect(claims[0].textContent).toContain('Zexabit · bKash');
    expect(claims[0].textContent).toContain('user-7');
    expect(claims[0].textContent).toContain('held 3 min');

    const decisions = screen.getAllByTestId('person-decision');
    expect(decisions).toHaveLength(50);
    expect(decisions[0].textContent).toContain('Approved');
    expect(decisions[0].textContent).toContain('1,500.00 BDT');
    expect(decisions[0].textContent).toContain('Zexabit');
    expect(decisions[0].textContent).toContain('bkash');
    expect(decisions[0].textContent).toContain('35 s');
    expect(decisions[2].textContent).toContain('Rejected');
    expect(decisions[2].textContent).toContain('TrxID not found at the provider');
    expect(decisions[4].textContent).toContain('—');

    const rejections = within(screen.getByTestId('person-rejections')).getAllByTestId('person-rejection');
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections[0].textContent).toContain('TrxID not found at the provider');
  });

  it('takes a claim over, then reads the page again', async () => {
    const fake = new FakeBackend();
    await openPerson(fake, 'op-2');
    const reads = fake.callsTo('person').length;
    await fireEvent.click(screen.getByTestId('person-take-over'));
    await waitFor(() => expect(fake.callsTo('take_over')).toEqual([['req-7']]));
    await waitFor(() => expect(screen.queryAllByTestId('person-claim')).toHaveLength(0));
    expect(fake.callsTo('person').length).toBeGreaterThan(reads);
    expect(screen.getByTestId('person-notice').textContent).toContain('Took over 700.00 BDT · user-7 from Bilal');
  });

  it('shows a refused take-over in the error banner', async () => {
    const fake = new FakeBackend();
    fake.takeOver = () => Promise.reject({ code: 'needs_role', message: "Needs a supervisor: taking over another operator's claim." });
    await openPerson(fake, 'op-2');
    await fireEvent.click(screen.getByTestId('person-take-over'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('Needs a supervisor');
    expect(screen.getAllByTestId('person-claim')).toHaveLength(1);
  });

  it('filters decisions by action and pages with Load more', async () => {
    const fake = new FakeBackend();
    await openPerson(fake, 'op-2');
    await fireEvent.click(screen.getByTestId('person-more'));
    await waitFor(() => expect(screen.getAllByTestId('person-decision')).toHaveLength(60));
    expect(lastPersonQuery(fake)).toEqual({ operator: 'op-2', limit: 50, before: 4951 });
    expect(screen.queryByTestId('person-more')).toBeNull();

    const select = screen.getByTestId('person-action') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'All'],
      ['approve', 'Approved'],
      ['first_approval', 'First approval'],
      ['second_approval', 'Second approval'],
      ['send_again', 'Sent again'],
      ['reject', 'Rejected'],
      ['settle', 'Settled'],
    ]);
    await fireEvent.change(select, { target: { value: 'reject' } });
    await waitFor(() => expect(lastPersonQuery(fake)).toEqual({ operator: 'op-2', limit: 50, action: 'reject' }));
    await waitFor(() => expect(screen.getAllByTestId('person-decision')).toHaveLength(9));
    expect(screen.getAllByTestId('person-decision').every((r) => r.dataset.action === 'reject')).toBe(true);
  });

  it('opens a decided request in the detail, and goes back to the list', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'completed' })]);
    await openPerson(fake, 'op-2');
    await fireEvent.click(screen.getByTestId('person-back'));
    expect(await screen.findByTestId('people-list')).toBeTruthy();
    await fireEvent.click(screen.getAllByTestId('people-row')[1]);
    await screen.findByTestId('person-totals');
    await fireEvent.click(within(screen.getAllByTestId('person-decision')[0]).getByTestId('person-decision-open'));
    await waitFor(async () => expect(await detailId()).toBe('req-1'));
    expect(screen.queryByTestId('supervisor-view')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('tab-done').getAttribute('aria-selected')).toBe('true'));
  });
});
