import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { attentionRequests, auditRows } from './fake-supervise';
import { detailId, renderApp } from './render';

/** Opens the supervisor's view on its Attention tab. */
async function openSupervisor(fake: FakeBackend) {
  const r = await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('supervisor'));
  // The supervisor's view loads on first opening: wait for its tabs.
  await fireEvent.click(await screen.findByTestId('sv-tab-attention'));
  return r;
}

async function openAudit(fake: FakeBackend) {
  await openSupervisor(fake);
  await fireEvent.click(screen.getByTestId('sv-tab-audit'));
  await screen.findByTestId('audit-table');
}

const lastAuditQuery = (fake: FakeBackend) => fake.callsTo('audit_trail').at(-1)?.[0];

describe('supervisor view', () => {
  it('is offered to supervisors and admins only', async () => {
    const agent = new FakeBackend();
    agent.desk.as('op-2');
    const { unmount } = await renderApp(agent);
    expect(screen.queryByTestId('supervisor')).toBeNull();
    unmount();

    const rina = new FakeBackend();
    rina.desk.as('op-3');
    const second = await renderApp(rina);
    expect(screen.getByTestId('supervisor')).toBeTruthy();
    second.unmount();

    const admin = new FakeBackend();
    admin.desk.operators.push({ id: 'op-9', name: 'Omar', roles: ['admin'], login: 'password', secret: 'omar at the desk', disabled: false, locked_until: null });
    admin.desk.as('op-9');
    await renderApp(admin);
    await fireEvent.click(screen.getByTestId('supervisor'));
    expect((await screen.findByTestId('sv-tab-overview')).getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(screen.getByTestId('sv-tab-attention'));
    expect(await screen.findAllByTestId('attention-item')).toHaveLength(5);
  });

  it('lists what needs a person, oldest first, with labels, actions and evidence', async () => {
    const fake = new FakeBackend(attentionRequests());
    await openSupervisor(fake);
    expect(screen.getByTestId('sv-tab-attention').getAttribute('aria-selected')).toBe('true');
    const items = await screen.findAllByTestId('attention-item');
    expect(items.map((i) => i.dataset.id)).toEqual(['req-91', 'req-92', 'req-93', 'req-94', 'req-95']);
    expect(items.map((i) => i.dataset.why)).toEqual([
      'outcome_unknown',
      'amount_differs',
      'past_sla',
      'second_approval',
      'expired_maybe_paid',
    ]);
    expect(items[0].textContent).toContain('Outcome unknown');
    expect(items[0].textContent).toContain('9100.00 BDT');
    expect(items[0].textContent).toContain('Zexabit · bKash');
    expect(items[0].textContent).toContain('user-91');
    expect(items[0].textContent).toContain('Check with the provider, then settle');
    const evidence = within(items[0]).getAllByTestId('attention-evidence');
    expect(evidence.map((e) => e.textContent)).toEqual(['Provider: request timed out after 30 s', 'Is TRX91 paid? → not found yet']);
    expect(items[4].textContent).toContain('Expired — may have paid');
    expect(within(items[2]).queryAllByTestId('attention-evidence')).toHaveLength(0);
    const counts = screen.getByTestId('attention-counts');
    expect(counts.textContent).toContain('5 need a person');
    expect(counts.querySelector('[data-why="past_sla"]')?.textContent).toContain('Past SLA 1');
  });

  it('opens a request in the detail, moving the queue to the tab that holds it', async () => {
    const fake = new FakeBackend([makeRequest(1), ...attentionRequests()]);
    const { desk } = await openSupervisor(fake);
    const open = async (i: number) => {
      if (!screen.queryByTestId('supervisor-view')) {
        await fireEvent.click(screen.getByTestId('supervisor'));
        await fireEvent.click(await screen.findByTestId('sv-tab-attention'));
      }
      const items = await screen.findAllByTestId('attention-item');
      await fireEvent.click(within(items[i]).getByTestId('attention-open'));
    };
    const selectedRow = () =>
      screen.getAllByTestId('queue-row').find((r) => r.getAttribute('aria-selected') === 'true')?.dataset.id;

    // Past the SLA, pending: in the queue tab already on screen.
    const queueReads = fake.callsTo('list_queue').length;
    await open(2);
    await waitFor(async () => expect(await detailId()).toBe('req-93'));
    expect(desk.view).toBe('detail');
    expect(screen.queryByTestId('supervisor-view')).toBeNull();
    expect(screen.getByTestId('tab-queue').getAttribute('aria-selected')).toBe('true');
    expect(selectedRow()).toBe('req-93');
    expect(fake.callsTo('list_queue')).toHaveLength(queueReads);

    // Amount differs: the queue moves to "Needs attention".
    await open(1);
    await waitFor(async () => expect(await detailId()).toBe('req-92'));
    await waitFor(() => expect(screen.getByTestId('tab-attention').getAttribute('aria-selected')).toBe('true'));
    await waitFor(() => expect(selectedRow()).toBe('req-92'));
    expect(fake.callsTo('list_queue').at(-1)?.[0]).toMatchObject({ tab: 'attention' });

    // Expired, maybe paid: "Done".
    await open(4);
    await waitFor(async () => expect(await detailId()).toBe('req-95'));
    await waitFor(() => expect(screen.getByTestId('tab-done').getAttribute('aria-selected')).toBe('true'));
    await waitFor(() => expect(selectedRow()).toBe('req-95'));
  });

  it('reloads the list when the core announces a change', async () => {
    const fake = new FakeBackend(attentionRequests());
    await openSupervisor(fake);
    await screen.findAllByTestId('attention-item');
    fake.attentionItems = fake.attentionItems.slice(1);
    fake.emit({ requests: ['req-91'] });
    await waitFor(() => expect(screen.getAllByTestId('attention-item')).toHaveLength(4), { timeout: 2500 });
  });

  it('closes on Escape', async () => {
    const fake = new FakeBackend();
    await openSupervisor(fake);
    await screen.findByTestId('supervisor-view');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('supervisor-view')).toBeNull();
  });
});

describe('audit trail', () => {
  it('shows entries newest first with compact details, and verifies the chain', async () => {
    const fake = new FakeBackend();
    await openAudit(fake);
    const rows = screen.getAllByTestId('audit-row');
    expect(rows.map((r) => r.dataset.seq)).toEqual(['4', '3', '2', '1']);
    expect(rows[0].textContent).toContain('Rina');
    expect(rows[0].textContent).toContain('take_over');
    expect(rows[0].textContent).toContain('request:req-93');
    const details = rows[2].querySelector('td:last-child') as HTMLElement;
    expect(details.textContent).toBe('{"roles":["supervisor"]}');
    expect(details.title).toContain('\n');
    expect(screen.getByTestId('audit-verify')).toBeTruthy();
    expect(lastAuditQuery(fake)).toEqual({ limit: 50 });
    expect(screen.queryByTestId('audit-more')).toBeNull();
  });

  it('sends the filters: operator id, action, request and RFC 3339 times in UTC', async () => {
    const fake = new FakeBackend();
    await openAudit(fake);
    await fireEvent.change(screen.getByTestId('audit-filter-operator'), { target: { value: 'op-3' } });
    await waitFor(() => expect(lastAuditQuery(fake)).toEqual({ limit: 50, operator: 'op-3' }));
    await waitFor(() => expect(screen.getAllByTestId('audit-row').map((r) => r.dataset.seq)).toEqual(['4']));

    await fireEvent.input(screen.getByTestId('audit-filter-action'), { target: { value: ' take_over ' } });
    await fireEvent.change(screen.getByTestId('audit-filter-action'), { target: { value: ' take_over ' } });
    await fireEvent.change(screen.getByTestId('audit-filter-since'), { target: { value: '2024-05-01T09:15' } });
    await fireEvent.change(screen.getByTestId('audit-filter-until'), { target: { value: '2024-05-02T00:00' } });
    await fireEvent.change(screen.getByTestId('audit-filter-request'), { target: { value: 'req-93' } });
    await waitFor(() =>
      expect(lastAuditQuery(fake)).toEqual({
        limit: 50,
        operator: 'op-3',
        action: 'take_over',
        since: new Date(2024, 4, 1, 9, 15).toISOString().replace('.000Z', 'Z'),
        until: new Date(2024, 4, 2, 0, 0).toISOString().replace('.000Z', 'Z'),
        request: 'req-93',
      }),
    );
    expect((lastAuditQuery(fake) as { since: string }).since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await fireEvent.change(screen.getByTestId('audit-filter-operator'), { target: { value: '' } });
    await waitFor(() => expect(lastAuditQuery(fake)).not.toHaveProperty('operator'));
  });

  it('exports every entry the filters match, without the page size', async () => {
    const fake = new FakeBackend();
    await openAudit(fake);
    await fireEvent.change(screen.getByTestId('audit-filter-operator'), { target: { value: 'op-3' } });
    await waitFor(() => expect(lastAuditQuery(fake)).toEqual({ limit: 50, operator: 'op-3' }));
    await fireEvent.click(screen.getByTestId('audit-export'));
    const said = await screen.findByTestId('audit-export-result');
    expect(fake.callsTo('export_audit').at(-1)?.[0]).toEqual({ operator: 'op-3' });
    expect(said.textContent).toContain('Saved 1 entry to /home/asha/Downloads/cashdesk-audit.csv');
  });

  it('pages with "Load more" from the last row shown', async () => {
    const fake = new FakeBackend();
    fake.auditRows = auditRows(70);
    await openAudit(fake);
    expect(screen.getAllByTestId('audit-row')).toHaveLength(50);
    await fireEvent.click(screen.getByTestId('audit-more'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(70));
    expect(lastAuditQuery(fake)).toEqual({ limit: 50, before: 21 });
    expect(screen.queryByTestId('audit-more')).toBeNull();
  });
});

describe('export', () => {
  it('exports the view on screen with its filters and says where it went', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2, { kind: 'withdrawal' })]);
    fake.exportAnswer = { path: '/home/asha/Downloads/cashdesk-queue.csv', rows: 1234 };
    await renderApp(fake);
    await fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'withdrawal' } });
    await fireEvent.click(screen.getByTestId('export-view'));
    const result = await screen.findByTestId('export-result');
    expect(result.textContent?.replace(/\s+/g, ' ').trim()).toBe('Saved 1,234 rows to /home/asha/Downloads/cashdesk-queue.csv');
    expect(fake.callsTo('export_view')).toEqual([[{ tab: 'queue', kind: 'withdrawal' }]]);
  });

  it('shows a refusal in the error banner', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.exportView = () => Promise.reject({ code: 'storage', message: 'Could not write the export: disk full' });
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('export-view'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('disk full');
    expect(screen.queryByTestId('export-result')).toBeNull();
  });
});
