// The supervisor's desk for the fake backend: the overview's figures, the
// people pages and the shift close. Methods return the value or throw the
// ApiError the core would; FakeBackend records the calls and checks roles.
import type { ApiError } from '../lib/bindings/ApiError';
import type { BalanceInput } from '../lib/bindings/BalanceInput';
import type { ClosePreview } from '../lib/bindings/ClosePreview';
import type { DecisionRow } from '../lib/bindings/DecisionRow';
import type { ExportResult } from '../lib/bindings/ExportResult';
import type { HeldClaim } from '../lib/bindings/HeldClaim';
import type { OverviewRange } from '../lib/bindings/OverviewRange';
import type { OverviewView } from '../lib/bindings/OverviewView';
import type { PersonPage } from '../lib/bindings/PersonPage';
import type { PersonQuery } from '../lib/bindings/PersonQuery';
import type { PersonRow } from '../lib/bindings/PersonRow';
import type { RunningTotal } from '../lib/bindings/RunningTotal';
import type { ShiftInfo } from '../lib/bindings/ShiftInfo';
import type { ShiftLine } from '../lib/bindings/ShiftLine';
import type { ShiftReport } from '../lib/bindings/ShiftReport';
import type { ShiftsView } from '../lib/bindings/ShiftsView';
import type { SignClose } from '../lib/bindings/SignClose';
import { formatAmount, isDecimal, isZeroDecimal, subtractDecimal } from '../lib/decimal';
import { makeRequest } from './fake';

const MIN = 60_000;
const HOUR = 60 * MIN;

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The overview over `range`, `now` being the time it is made. */
export function overviewFixture(range: OverviewRange, now = Date.now()): OverviewView {
  const scale = range === 'shift' ? 1 : range === 'day' ? 2 : 9;
  const hour = now - (now % HOUR);
  const hours = [3, 2, 1, 0].map((h) => iso(hour - h * HOUR));
  const sample = now - (now % (5 * MIN));
  const depthTimes = Array.from({ length: 12 }, (_, i) => iso(sample - (11 - i) * 5 * MIN));
  const zexabit = [2, 3, 5, 6, 4, 4, 5, 7, 6, 5, 6, 6];
  const paykassma = [0, 1, 1, 2, 2, 1, 0, 1, 1, 2, 1, 1];
  const x = (v: number[]) => v.map((n) => n * scale);
  return {
    range,
    since: iso(range === 'week' ? now - 7 * 24 * HOUR : now - 8 * HOUR),
    until: iso(now),
    depth: [
      { provider: 'zexabit', kind: 'deposit', method: 'bkash', pending: 4, oldest: iso(now - 12 * MIN) },
      { provider: 'zexabit', kind: 'withdrawal', method: 'nagad', pending: 2, oldest: iso(now - 5 * MIN) },
      { provider: 'paykassma', kind: 'deposit', method: 'upi', pending: 1, oldest: iso(now - 2 * MIN) },
    ],
    pending: 7,
    oldest_pending: iso(now - 12 * MIN - 5_000),
    past_sla: 2,
    sla_minutes: 30,
    second_approvals: 1,
    depth_times: depthTimes,
    depth_series: [
      { key: '*', label: 'All', values: zexabit.map((n, i) => n + paykassma[i]) },
      { key: 'paykassma', label: 'paykassma', values: paykassma },
      { key: 'zexabit', label: 'zexabit', values: zexabit },
    ],
    hours,
    by_agent: [
      { key: 'op-1', label: 'Asha', values: x([3, 5, 2, 1]) },
      { key: 'op-2', label: 'Bilal', values: x([4, 6, 3, 0]) },
    ],
    by_provider: [
      { key: 'paykassma', label: 'paykassma', values: x([2, 3, 1, 0]) },
      { key: 'zexabit', label: 'zexabit', values: x([5, 8, 4, 1]) },
    ],
    decide_times: [
      { operator_id: 'op-1', name: 'Asha', decided: 11 * scale, timed: 9 * scale, median_ms: 90_000, p90_ms: 240_000 },
      { operator_id: 'op-2', name: 'Bilal', decided: 13 * scale, timed: 10 * scale, median_ms: 150_000, p90_ms: 421_000 },
      { operator_id: 'op-3', name: 'Rina', decided: 2, timed: 0, median_ms: null, p90_ms: null },
    ],
    rejections: [
      { reason: 'TrxID not found at the provider', count: 3 * scale },
      { reason: 'Amount does not match', count: 2 * scale },
      { reason: 'Duplicate request', count: scale },
    ],
    decided: 24 * scale,
    rejected: 6 * scale,
  };
}

/** An overview of a range in which nothing was decided and nothing waits. */
export function emptyOverview(range: OverviewRange, now = Date.now()): OverviewView {
  return {
    ...overviewFixture(range, now),
    depth: [],
    pending: 0,
    oldest_pending: null,
    past_sla: 0,
    second_approvals: 0,
    depth_times: [],
    depth_series: [],
    by_agent: [],
    by_provider: [],
    decide_times: [],
    rejections: [],
    decided: 0,
    rejected: 0,
  };
}

const ACTIONS = ['approve', 'approve', 'reject', 'first_approval', 'send_again', 'settle', 'second_approval'];

/** `n` decisions, newest (highest seq) first, a few minutes apart. */
export function decisionRows(n: number, now = Date.now()): DecisionRow[] {
  return Array.from({ length: n }, (_, i) => {
    const action = ACTIONS[i % ACTIONS.length];
    return {
      seq: 5000 - i,
      request_id: `req-${i + 1}`,
      action,
      provider: i % 3 === 2 ? 'paykassma' : 'zexabit',
      kind: i % 4 === 1 ? 'withdrawal' : 'deposit',
      method: i % 3 === 2 ? 'upi' : 'bkash',
      amount_display: formatAmount(`${(i + 1) * 1500}.00`, 'BDT'),
      reason: action === 'reject' ? (i % 2 ? 'Amount does not match' : 'TrxID not found at the provider') : null,
      decided_at: iso(now - (i + 1) * 4 * MIN),
      handled_ms: i % 5 === 4 ? null : 35_000 + i * 7_000,
    };
  });
}

export class FakeSupervisorDesk {
  /** What `overview` answers per range (tests replace one). */
  overviews: Record<OverviewRange, OverviewView> = {
    shift: overviewFixture('shift'),
    day: overviewFixture('day'),
    week: overviewFixture('week'),
  };
  peopleRows: PersonRow[] = [
    { id: 'op-1', name: 'Asha', roles: ['agent', 'supervisor', 'admin'], disabled: false, decided_today: 11, rejected_today: 2, claims_now: 0 },
    { id: 'op-2', name: 'Bilal', roles: ['agent'], disabled: false, decided_today: 13, rejected_today: 4, claims_now: 1 },
    { id: 'op-3', name: 'Rina', roles: ['supervisor'], disabled: false, decided_today: 2, rejected_today: 0, claims_now: 0 },
    { id: 'op-4', name: 'Nadia', roles: ['agent'], disabled: true, decided_today: 0, rejected_today: 0, claims_now: 0 },
  ];
  /** Each person's decisions, newest first. */
  decisions: Record<string, DecisionRow[]> = { 'op-1': decisionRows(3), 'op-2': decisionRows(60), 'op-3': [], 'op-4': [] };
  /** Claims each person holds now. */
  claims: Record<string, HeldClaim[]> = {
    'op-2': [{ summary: makeRequest(7).summary, since: iso(Date.now() - 3 * MIN) }],
  };
  totals: Record<string, RunningTotal[]> = {
    'op-2': [
      { currency: 'BDT', approved: '41500.00', approved_display: '41,500.00 BDT', limit: '50000.00', limit_display: '50,000.00 BDT' },
      { currency: 'USDT', approved: '120.5', approved_display: '120.50000000 USDT', limit: null, limit_display: null },
    ],
  };

  open: ShiftInfo | null = { id: 3, opened_at: iso(Date.now() - 8 * HOUR), opened_by: 'Rina', closed_at: null, closed_by: null };
  closed: ShiftInfo[] = [
    { id: 2, opened_at: '2024-05-01T06:00:00Z', opened_by: 'Rina', closed_at: '2024-05-01T14:00:00Z', closed_by: 'Rina' },
    { id: 1, opened_at: '2024-04-30T22:00:00Z', opened_by: 'Asha', closed_at: '2024-05-01T06:00:00Z', closed_by: 'Asha' },
  ];
  reports: Record<number, ShiftReport> = {};
  /** The lines a close is laid out with (tests replace them). */
  lines: ShiftLine[] = previewLines();
  notes: string[] = ['Zimo-pagos MX (Zimo-pagos): balances not read: the provider did not answer in 10 s'];
  /** Opening balances typed at each shift's opening, by shift id. */
  openings: Record<number, BalanceInput[]> = {};
  private token: string | null = null;
  private tokens = 0;

  constructor() {
    this.reports[2] = reportOf(2, this.closed[0], signedLines(), 'Rina');
    this.reports[1] = reportOf(1, this.closed[1], signedLines().slice(0, 1), 'Asha');
  }

  /** No shift was ever opened. */
  noShifts(): this {
    this.open = null;
    this.closed = [];
    this.reports = {};
    return this;
  }

  overview(range: OverviewRange): OverviewView {
    return this.overviews[range];
  }

  person(q: PersonQuery): PersonPage {
    const row = this.peopleRows.find((p) => p.id === q.operator) ?? fail('not_found', `No operator ${q.operator}.`);
    const all = this.decisions[row.id] ?? [];
    const decisions = all
      .filter((d) => (!q.action || d.action === q.action) && (q.before === undefined || d.seq < q.before))
      .slice(0, q.limit ?? 100);
    return {
      id: row.id,
      name: row.name,
      roles: row.roles,
      decisions,
      claims: this.claims[row.id] ?? [],
      totals: this.totals[row.id] ?? [],
      rejections: all.filter((d) => d.action === 'reject').slice(0, 50),
    };
  }

  /** A supervisor took request `id` over: whoever held it no longer does. */
  tookOver(id: string): void {
    for (const [op, held] of Object.entries(this.claims)) {
      this.claims[op] = held.filter((c) => c.summary.id !== id);
      const row = this.peopleRows.find((p) => p.id === op);
      if (row) row.claims_now = this.claims[op].length;
    }
  }

  shifts(): ShiftsView {
    return { open: this.open, closed: this.closed };
  }

  openShift(balances: BalanceInput[], by: string): ShiftInfo {
    if (this.open) fail('invalid_input', 'A shift is open already: close it first.');
    for (const b of balances) {
      if (!isDecimal(b.amount)) fail('invalid_input', `opening balance: "${b.amount}" is not an amount (digits, a point, a minus)`);
    }
    const id = Math.max(0, ...this.closed.map((s) => s.id)) + 1;
    this.open = { id, opened_at: new Date().toISOString(), opened_by: by, closed_at: null, closed_by: null };
    this.openings[id] = balances;
    return this.open;
  }

  previewClose(): ClosePreview {
    const shift = this.open ?? fail('invalid_input', 'no shift is open: open the first shift with its opening balances');
    this.token = `close-${++this.tokens}`;
    return { token: this.token, as_of: new Date().toISOString(), shift, lines: this.lines, notes: this.notes };
  }

  signClose(form: SignClose, me: { name: string; secret: string }): ShiftReport {
    const shift = this.open;
    if (!shift || form.token !== this.token) fail('invalid_input', 'this close was laid out again since: review the new one and sign it');
    if (form.secret !== me.secret) fail('not_allowed', 'That password or PIN is not yours: the close is not signed.');
    const key = (l: { account_id: string; wallet?: string; currency: string }) => `${l.account_id}|${l.wallet ?? ''}|${l.currency}`;
    const typed = new Map(form.balances.map((b) => [key(b), b.amount]));
    const reasons = new Map(form.reasons.filter((r) => r.reason.trim()).map((r) => [key(r), r.reason.trim()]));
    const lines = this.lines.map((l) => {
      const label = `${l.account} ${l.wallet} ${l.currency}`;
      const closing = l.closing ?? typed.get(key(l)) ?? fail('invalid_input', `${label}: type the balance at close`);
      const variance = subtractDecimal(closing, l.expected);
      const reason = reasons.get(key(l)) ?? null;
      if (!isZeroDecimal(variance) && !reason) fail('invalid_input', `${label}: a variance of ${variance} needs a reason`);
      return { ...l, closing, closing_source: l.closing_source ?? 'hand', variance, reason };
    });
    const closedAt = new Date().toISOString();
    const done: ShiftInfo = { ...shift!, closed_at: closedAt, closed_by: me.name };
    this.closed = [done, ...this.closed];
    this.open = { id: done.id + 1, opened_at: closedAt, opened_by: me.name, closed_at: null, closed_by: null };
    this.token = null;
    this.reports[done.id] = reportOf(done.id, done, lines, me.name);
    return this.reports[done.id];
  }

  shiftReport(id: number): ShiftReport {
    return this.reports[id] ?? fail('not_found', `No closed shift ${id}.`);
  }

  exportShift(id: number): ExportResult {
    const r = this.shiftReport(id);
    return { path: `/home/asha/Downloads/cashdesk-shift-${id}.csv`, rows: r.lines.length };
  }
}

/**
 * A close laid out: one line the provider reports with no variance, one it
 * does not report (typed: expected 1500.50), one reported 10.00 short.
 */
export function previewLines(): ShiftLine[] {
  return [
    {
      account_id: 'acc-1',
      account: 'Zexabit sandbox',
      provider: 'Zexabit',
      wallet: '',
      currency: 'BDT',
      opening: '125000.00',
      opening_source: 'provider',
      deposits: '48250.50',
      deposits_count: 12,
      withdrawals: '20000.00',
      withdrawals_count: 3,
      expected: '153250.50',
      closing: '153250.50',
      closing_source: 'provider',
      variance: '0.00',
      reason: null,
    },
    {
      account_id: 'acc-2',
      account: 'CashWeb counter',
      provider: 'CashWeb',
      wallet: '',
      currency: 'BDT',
      opening: '1500.50',
      opening_source: 'hand',
      deposits: '0.00',
      deposits_count: 0,
      withdrawals: '0.00',
      withdrawals_count: 0,
      expected: '1500.50',
      closing: null,
      closing_source: null,
      variance: null,
      reason: null,
    },
    {
      account_id: 'acc-3',
      account: 'Paykassma INR',
      provider: 'Paykassma',
      wallet: 'upi',
      currency: 'INR',
      opening: '250000.00',
      opening_source: 'carried',
      deposits: '15000.00',
      deposits_count: 4,
      withdrawals: '5000.00',
      withdrawals_count: 1,
      expected: '260000.00',
      closing: '259990.00',
      closing_source: 'provider',
      variance: '-10.00',
      reason: null,
    },
  ];
}

/** The lines of a signed close: the CashWeb counter typed 1490 (10.50 short). */
function signedLines(): ShiftLine[] {
  const [a, b, c] = previewLines();
  return [
    a,
    { ...b, closing: '1490', closing_source: 'hand', variance: '-10.50', reason: 'Change given from the till' },
    { ...c, reason: 'Provider fee taken at settlement' },
  ];
}

function reportOf(id: number, s: ShiftInfo, lines: ShiftLine[], signedBy: string): ShiftReport {
  return {
    shift_id: id,
    opened_at: s.opened_at,
    opened_by: s.opened_by,
    closed_at: s.closed_at ?? new Date().toISOString(),
    signed_by: signedBy,
    lines,
    variances: lines.filter((l) => l.variance !== null && !isZeroDecimal(l.variance)).length,
  };
}
