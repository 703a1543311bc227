import type { FilterChoices } from '../lib/bindings/FilterChoices';
// The queue's side of the fake backend: what list_queue narrows, sorts and
// pages by cursor, and the saved views with their counts. Methods return the
// value or throw the ApiError the core would; FakeBackend records the calls.
import type { ApiError } from '../lib/bindings/ApiError';
import type { QueuePage } from '../lib/bindings/QueuePage';
import type { QueueQuery } from '../lib/bindings/QueueQuery';
import type { RequestDetail } from '../lib/bindings/RequestDetail';
import type { RequestSummary } from '../lib/bindings/RequestSummary';
import type { SavedView } from '../lib/bindings/SavedView';
import { inTab } from '../lib/status';
import { LABELS } from './fake';

function invalid(message: string): ApiError {
  return { code: 'invalid_input', message };
}

export class FakeQueue {
  /** The operator's saved views (as stored, without counts). */
  views: SavedView[] = [];
  /** Who entered, claimed, approved first or decided each request (operator ids by request id). */
  handledBy: Record<string, string[]> = {};
  /** The backend's requests, read at each call (tests push to them and replace them). */
  private requests: () => RequestDetail[];

  constructor(requests: () => RequestDetail[]) {
    this.requests = requests;
  }

  /**
   * The queue as the core lists it: every narrowing of `query` (search from
   * three characters in end user, reference, TrxID, our reference or id),
   * in its order, paged by a cursor that belongs to that order.
   */
  page(query: QueueQuery): QueuePage {
    const order = query.order ?? 'arrival';
    const listed = this.rows(query);
    let start = 0;
    if (query.after) {
      const [of, at] = query.after.split(':');
      if (of !== order || !/^[0-9]+$/.test(at ?? '')) throw invalid('That page belongs to another order: start again.');
      start = Number(at);
    }
    const limit = Math.min(query.limit ?? 50, 500);
    const all = this.rows({ ...query, tab: 'queue', status: undefined }, true);
    const count = (t: QueueQuery['tab']) => all.filter((s) => inTab(s.status, t)).length;
    return {
      items: listed.slice(start, start + limit),
      next: start + limit < listed.length ? `${order}:${start + limit}` : null,
      counts: { queue: count('queue'), second: count('second'), in_flight: count('in_flight'), attention: count('attention') },
    };
  }

  /** The rows `query` lists, sorted; `anyTab` keeps every tab (for the counts). */
  rows(query: QueueQuery, anyTab = false): RequestSummary[] {
    if (query.status && !anyTab && (query.tab === 'second' || !inTab(query.status, query.tab))) {
      throw invalid(`status ${LABELS[query.status] ?? query.status} is not on this tab`);
    }
    const bound = (text: string | undefined, what: string): number | null => {
      const t = text?.trim();
      if (!t) return null;
      if (!/^[0-9]+(\.[0-9]+)?$/.test(t)) throw invalid(`The ${what} is not an amount: ${t}`);
      return Number(t);
    };
    const lo = bound(query.amount_min, 'lowest amount');
    const hi = bound(query.amount_max, 'highest amount');
    if (lo !== null && hi !== null && lo > hi) throw invalid('The lowest amount is above the highest');
    const search = query.search?.trim().toLowerCase() ?? '';
    const needle = [...search].length >= 3 ? search : '';
    const now = Date.now();
    const rows = this.requests().filter((r) => {
      const s = r.summary;
      const amount = Number(s.money.amount);
      const age = (now - Date.parse(s.created_at)) / 60_000;
      return (
        (anyTab || inTab(s.status, query.tab)) &&
        (!query.status || anyTab || s.status === query.status) &&
        (!query.kind || s.kind === query.kind) &&
        (!query.provider || s.provider === query.provider) &&
        (!query.account || r.account_id === query.account) &&
        (!query.method || s.method === query.method) &&
        (!query.currency || s.money.currency === query.currency) &&
        (lo === null || amount >= lo) &&
        (hi === null || amount <= hi) &&
        (query.older_than_minutes == null || age >= query.older_than_minutes) &&
        (query.newer_than_minutes == null || age <= query.newer_than_minutes) &&
        (!query.operator || (this.handledBy[s.id] ?? []).includes(query.operator)) &&
        (!needle ||
          [s.id, s.end_user, s.reference, r.merchant_ref, r.trx_id, r.end_user_ref, r.provider_txn_id].some((v) =>
            v?.toLowerCase().includes(needle),
          ))
      );
    });
    const arrival = (a: RequestSummary, b: RequestSummary) =>
      Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id);
    const summaries = rows.map((r) => r.summary);
    // Time left runs out in arrival order when every request has the same SLA.
    if (query.order === 'amount') {
      return summaries.sort((a, b) => Number(b.money.amount) - Number(a.money.amount) || arrival(a, b));
    }
    return summaries.sort(arrival);
  }

  /** The stored views, each counted now (a view the core refuses counts as nothing). */
  counted(): SavedView[] {
    return this.views.map((v) => {
      try {
        return { ...v, count: Math.min(9999, this.rows(v.query).length) };
      } catch {
        return { name: v.name, query: v.query };
      }
    });
  }

  /** Stores `query` under `name` (replacing one of that name), as the core checks it. */
  save(name: string, query: QueueQuery): SavedView[] {
    const n = name.trim();
    if (!n || n.length > 40) throw invalid("A view's name is 1 to 40 characters");
    this.rows(query);
    const stored: QueueQuery = { ...query };
    delete stored.after;
    delete stored.limit;
    const same = this.views.find((v) => v.name === n);
    if (same) same.query = stored;
    else if (this.views.length >= 12) throw invalid('At most 12 saved views: delete one first');
    else this.views.push({ name: n, query: stored });
    return this.counted();
  }

  remove(name: string): SavedView[] {
    this.views = this.views.filter((v) => v.name !== name);
    return this.counted();
  }

  /** filter_choices: every currency and method of the stored requests. */
  choices(): FilterChoices {
    const rows = this.requests();
    const currencies = [...new Set(rows.map((r) => r.summary.money.currency))].sort();
    const methods = new Map(rows.map((r) => [r.summary.method, r.summary.method_label]));
    return { currencies, methods: [...methods].sort().map(([id, label]) => ({ id, label })) };
  }
}
