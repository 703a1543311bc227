// The SLA per payment method for the fake backend: what method_slas answers
// and set_method_sla changes. Anyone logged in reads the list; only an admin
// sets or removes a method's SLA, checked as the core checks it (the method
// 1 to 64 characters, minutes 1 to 1440 or null to remove). Setting one
// re-dates that method's pending requests from their filing time; removing
// one puts them back on the desk's SLA. Methods return the value or throw the
// ApiError the core would; FakeBackend records the calls.
import type { ApiError } from '../lib/bindings/ApiError';
import type { MethodSla } from '../lib/bindings/MethodSla';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { FakeSession } from './fake-session';

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

export class FakeMethodSla {
  /** Minutes per method with an SLA of its own. */
  minutes: Record<string, number> = {};
  /** When set, method_slas fails with it. */
  failRead: ApiError | null = null;

  constructor(
    private session: FakeSession,
    private requests: () => RequestDetail[],
  ) {}

  /** The list as the core answers it: ordered by method. */
  list(): MethodSla[] {
    const r = this.session.refusal();
    if (r) throw r;
    if (this.failRead) throw this.failRead;
    return Object.keys(this.minutes)
      .sort()
      .map((method) => ({ method, minutes: this.minutes[method] }));
  }

  set(method: string, minutes: number | null): MethodSla[] {
    this.session.require('administer');
    const m = method.trim();
    if (m === '' || m.length > 64) fail('invalid_input', 'Method: 1 to 64 characters');
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)) {
      fail('invalid_input', 'SLA: 1 minute to 24 hours');
    }
    if (minutes === null) delete this.minutes[m];
    else this.minutes[m] = minutes;
    this.redate(m);
    return this.list();
  }

  /** The method's pending requests due its SLA (or the desk's) after they were filed. */
  private redate(method: string): void {
    const wait = this.minutes[method] ?? this.session.slaMinutes;
    for (const r of this.requests()) {
      if (r.summary.method !== method || r.summary.status !== 'pending') continue;
      const due = new Date(Date.parse(r.summary.created_at) + wait * 60_000).toISOString();
      r.summary = { ...r.summary, due_at: due };
    }
  }
}
