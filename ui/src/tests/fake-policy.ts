// The desk's policy for the fake backend (duplicate references, approval
// confirmations, reject reasons) and risk signals for test requests.
// Methods return the value or throw the ApiError the core would;
// FakeBackend records the calls.
import type { ApiError } from '../lib/bindings/ApiError';
import type { DeskPolicy } from '../lib/bindings/DeskPolicy';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { RiskKindView } from '../lib/bindings/RiskKindView';
import type { RiskView } from '../lib/bindings/RiskView';
import { compareDecimal, isDecimal } from '../lib/decimal';
import type { FakeSession } from './fake-session';

const fail = (code: ApiError['code'], message: string): never => {
  throw { code, message } satisfies ApiError;
};

export const NO_POLICY: DeskPolicy = {
  block_duplicate_reference: false,
  confirm_above: [],
  reject_reasons_deposit: [],
  reject_reasons_withdrawal: [],
};

export class FakePolicy {
  policy: DeskPolicy = structuredClone(NO_POLICY);

  constructor(private session: FakeSession) {}

  /** Anyone logged in reads it. */
  get(): DeskPolicy {
    const r = this.session.refusal();
    if (r) throw r;
    return this.policy;
  }

  /** An admin's act; checked as the core checks it. */
  set(p: DeskPolicy): DeskPolicy {
    this.session.require('administer');
    const seen = new Set<string>();
    for (const m of p.confirm_above) {
      if (!isDecimal(m.amount) || compareDecimal(m.amount, '0') <= 0) fail('invalid_input', `Amount "${m.amount}": more than zero`);
      if (seen.has(m.currency)) fail('invalid_input', `Confirmation threshold: ${m.currency} is given twice`);
      seen.add(m.currency);
    }
    const clean = (list: string[], kind: string) => {
      const out = list.map((r) => r.trim()).filter((r) => r !== '');
      if (out.length > 9) fail('invalid_input', `Reject reasons (${kind}): at most 9, picked with the keys 1 to 9`);
      return out;
    };
    this.policy = {
      block_duplicate_reference: p.block_duplicate_reference,
      confirm_above: p.confirm_above.map((m) => ({ ...m })),
      reject_reasons_deposit: clean(p.reject_reasons_deposit, 'deposit'),
      reject_reasons_withdrawal: clean(p.reject_reasons_withdrawal, 'withdrawal'),
    };
    return this.policy;
  }

  /**
   * Refuses approving `r` as the core does: blocked by the policy, or
   * unconfirmed at a threshold (the request's own, or the policy's now).
   */
  checkApprove(r: RequestDetail, confirmed: boolean): void {
    if (r.approve_blocked) fail('not_allowed', r.approve_blocked);
    const money = r.summary.money;
    const reaches = this.policy.confirm_above.some(
      (t) => t.currency === money.currency && compareDecimal(money.amount, t.amount) >= 0,
    );
    if ((r.confirm_from || reaches) && !confirmed) {
      fail('needs_confirmation', `Approving ${r.summary.amount_display} needs a confirmation.`);
    }
  }
}

/** One risk signal naming `other` (a rejected request decided by Bilal an hour ago, unless told). */
export function riskOf(kind: RiskKindView, other: string, over: Partial<RiskView> = {}): RiskView {
  return {
    kind,
    other,
    other_status: 'rejected',
    other_status_label: 'rejected',
    other_at: new Date(Date.now() - 3_600_000).toISOString(),
    other_by: 'Bilal',
    count: 1,
    distance: kind === 'similar_screenshot' ? 4 : null,
    blocking: false,
    ...over,
  };
}
