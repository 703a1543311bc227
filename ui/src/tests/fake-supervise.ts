// The supervisor's side of the fake backend: requests that need a person,
// the audit trail and its filters.
import type { AttentionItem } from '../lib/bindings/AttentionItem';
import type { AuditQuery } from '../lib/bindings/AuditQuery';
import type { AuditRow } from '../lib/bindings/AuditRow';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { RequestStatus } from '../lib/bindings/RequestStatus';
import { makeRequest } from './fake';

const ATTENTION: { n: number; status: RequestStatus; why: string; action: string; evidence: string[] }[] = [
  {
    n: 91,
    status: 'outcome_unknown',
    why: 'outcome_unknown',
    action: 'Check with the provider, then settle: completed, rejected, or not received (sent again)',
    evidence: ['Provider: request timed out after 30 s', 'Is TRX91 paid? → not found yet'],
  },
  {
    n: 92,
    status: 'amount_differs',
    why: 'amount_differs',
    action: "Compare with the provider's panel and accept what moved",
    evidence: ['Provider: received 9150.00 BDT'],
  },
  {
    n: 93,
    status: 'pending',
    why: 'past_sla',
    action: 'Decide it, or find out why nobody has',
    evidence: [],
  },
  {
    n: 94,
    status: 'awaiting_second_approval',
    why: 'second_approval',
    action: 'Give the second approval or reject',
    evidence: [],
  },
  {
    n: 95,
    status: 'expired',
    why: 'expired_maybe_paid',
    action: 'The customer may have paid: look for the money before telling them',
    evidence: ['Provider: payment seen 2 min after expiry'],
  },
];

/** The requests behind the attention fixture (oldest first), for `new FakeBackend(…)`. */
export function attentionRequests(): RequestDetail[] {
  return ATTENTION.map((a) => makeRequest(a.n, { status: a.status }));
}

/** What `attention` answers by default: one request per kind of `why`, oldest first. */
export function attentionFixture(): AttentionItem[] {
  const requests = attentionRequests();
  return ATTENTION.map((a, i) => ({ summary: requests[i].summary, why: a.why, action: a.action, evidence: [...a.evidence] }));
}

/** `n` audit entries, newest (highest seq) first, a minute apart. */
export function auditRows(n: number, who = 'Asha'): AuditRow[] {
  const start = Date.parse('2024-05-01T08:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const seq = n - i;
    return {
      seq,
      at: new Date(start + seq * 60_000).toISOString(),
      who,
      action: 'approve',
      subject: `request:req-${seq}`,
      details: JSON.stringify({ amount: `${seq}00.00 BDT` }),
    };
  });
}

/** What `audit_trail` reads from by default: a few entries, newest first. */
export function auditFixture(): AuditRow[] {
  return [
    { seq: 4, at: '2024-05-01T09:30:00Z', who: 'Rina', action: 'take_over', subject: 'request:req-93', details: '{"from":"Bilal"}' },
    { seq: 3, at: '2024-05-01T09:10:00Z', who: 'Bilal', action: 'approve', subject: 'request:req-92', details: '{"amount":"9200.00 BDT"}' },
    { seq: 2, at: '2024-05-01T09:00:00Z', who: 'Asha', action: 'add_operator', subject: 'operator:op-3', details: '{"roles":["supervisor"]}' },
    { seq: 1, at: '2024-05-01T08:55:00Z', who: 'Cashdesk', action: 'start', subject: 'desk', details: '{}' },
  ];
}

/** The core's filters over `rows` (newest first); `nameOf` gives an operator's name. */
export function auditPage(rows: AuditRow[], q: AuditQuery, nameOf: (id: string) => string | null): AuditRow[] {
  const since = q.since ? Date.parse(q.since) : null;
  const until = q.until ? Date.parse(q.until) : null;
  const who = q.operator ? nameOf(q.operator) : null;
  return rows
    .filter(
      (r) =>
        (!q.operator || r.who === who) &&
        (!q.action || r.action === q.action) &&
        (!q.request || r.subject === `request:${q.request}`) &&
        (since === null || Date.parse(r.at) >= since) &&
        (until === null || Date.parse(r.at) < until) &&
        (q.before === undefined || r.seq < q.before),
    )
    .slice(0, q.limit ?? 200);
}
