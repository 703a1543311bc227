// What the queue shows, apart from what was read for it: the tab, the
// filters, the search and the order, the QueueQuery they make, the
// operator's saved views of them and whom the operator filter offers.
// QueueState (queue.svelte.ts) builds on it with the pages, the selection
// and the decisions.
import { errorCode, type Backend } from './backend';
import type { AccountId } from './bindings/AccountId';
import type { OperatorId } from './bindings/OperatorId';
import type { ProviderKind } from './bindings/ProviderKind';
import type { QueueOrder } from './bindings/QueueOrder';
import type { QueueQuery } from './bindings/QueueQuery';
import type { QueueTab } from './bindings/QueueTab';
import type { RequestKind } from './bindings/RequestKind';
import type { RequestStatus } from './bindings/RequestStatus';
import type { RequestSummary } from './bindings/RequestSummary';
import type { SavedView } from './bindings/SavedView';
import { inTab } from './status';

/** Saved views' counts are read again at most this often (on queue refreshes). */
export const VIEWS_EVERY_MS = 5000;
/** Search narrows from this many characters on (the core ignores fewer). */
export const SEARCH_MIN = 3;

/** The narrowings a person sets above the list (a tab's view is these and the tab). */
export interface QueueFilters {
  kind: RequestKind | '';
  provider: ProviderKind | '';
  /** A provider account's id, '' for any. */
  account: AccountId | '';
  currency: string;
  method: string;
  status: RequestStatus | '';
  amountMin: string;
  amountMax: string;
  /** Whole minutes, '' for any age. */
  olderThan: string;
  /** Whole minutes, '' for any age: waiting at most this long. */
  newerThan: string;
  /** Entered, claimed, approved first or decided by this operator; '' for anyone. */
  operator: OperatorId | '';
  /** As typed; it narrows only from SEARCH_MIN characters. */
  search: string;
  order: QueueOrder;
}

export const NO_FILTERS: QueueFilters = {
  kind: '',
  provider: '',
  account: '',
  currency: '',
  method: '',
  status: '',
  amountMin: '',
  amountMax: '',
  olderThan: '',
  newerThan: '',
  operator: '',
  search: '',
  order: 'arrival',
};

/** The search text that narrows: trimmed, and only from SEARCH_MIN characters. */
export function effectiveSearch(text: string): string {
  const s = text.trim();
  return [...s].length >= SEARCH_MIN ? s : '';
}

/** Whole minutes as typed, or undefined when the text is not a whole number from 0. */
function minutesOf(text: string): number | undefined {
  const t = text.trim();
  const n = Number(t);
  return t !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** A QueueQuery (a saved view's) as the filters above the list. */
export function filtersOf(query: QueueQuery): QueueFilters {
  return {
    kind: query.kind ?? '',
    provider: query.provider ?? '',
    account: query.account ?? '',
    currency: query.currency ?? '',
    method: query.method ?? '',
    status: query.status ?? '',
    amountMin: query.amount_min ?? '',
    amountMax: query.amount_max ?? '',
    olderThan: query.older_than_minutes == null ? '' : String(query.older_than_minutes),
    newerThan: query.newer_than_minutes == null ? '' : String(query.newer_than_minutes),
    operator: query.operator ?? '',
    search: query.search ?? '',
    order: query.order ?? 'arrival',
  };
}

/**
 * The view on screen and the saved ones. A base class rather than a member,
 * so that components and tests keep reading `queue.kind`, `queue.views` and
 * `queue.viewQuery()` off the one queue object.
 */
export class QueueViewState {
  tab = $state<QueueTab>('queue');
  kind = $state<RequestKind | ''>('');
  provider = $state<ProviderKind | ''>('');
  account = $state<AccountId | ''>('');
  currency = $state('');
  method = $state('');
  status = $state<RequestStatus | ''>('');
  amountMin = $state('');
  amountMax = $state('');
  olderThan = $state('');
  newerThan = $state('');
  operator = $state<OperatorId | ''>('');
  search = $state('');
  order = $state<QueueOrder>('arrival');
  /** The operator's saved views with their live counts. */
  views = $state<SavedView[]>([]);
  /**
   * Whom the operator filter offers; null while unknown and for an operator
   * the core does not let list operators (an agent): the filter is then hidden.
   */
  operatorChoices = $state<{ id: OperatorId; name: string }[] | null>(null);

  private viewsAt = -Infinity;
  private viewsToken = 0;
  private operatorsToken = 0;

  protected backend: Backend;

  constructor(backend: Backend) {
    this.backend = backend;
  }

  get filters(): QueueFilters {
    return {
      kind: this.kind,
      provider: this.provider,
      account: this.account,
      currency: this.currency,
      method: this.method,
      status: this.status,
      amountMin: this.amountMin,
      amountMax: this.amountMax,
      olderThan: this.olderThan,
      newerThan: this.newerThan,
      operator: this.operator,
      search: this.search,
      order: this.order,
    };
  }

  /** Any narrowing besides the tab (the order is not one; short search text is not either). */
  get filtered(): boolean {
    const q = this.viewQuery();
    return Object.keys(q).some((k) => k !== 'tab' && k !== 'order');
  }

  /** The view on screen as the core takes it: what is listed, exported and saved. */
  viewQuery(): QueueQuery {
    const q: QueueQuery = { tab: this.tab };
    if (this.provider) q.provider = this.provider;
    if (this.kind) q.kind = this.kind;
    if (this.account) q.account = this.account;
    if (this.method) q.method = this.method;
    if (this.currency) q.currency = this.currency;
    if (this.status && this.tab !== 'second') q.status = this.status;
    if (this.amountMin.trim()) q.amount_min = this.amountMin.trim();
    if (this.amountMax.trim()) q.amount_max = this.amountMax.trim();
    const older = minutesOf(this.olderThan);
    if (older !== undefined) q.older_than_minutes = older;
    const newer = minutesOf(this.newerThan);
    if (newer !== undefined) q.newer_than_minutes = newer;
    if (this.operator) q.operator = this.operator;
    const search = effectiveSearch(this.search);
    if (search) q.search = search;
    if (this.order !== 'arrival') q.order = this.order;
    return q;
  }

  /** Shows `tab` with the filters `f`; true when the query the core gets changed. */
  protected assign(tab: QueueTab, f: QueueFilters): boolean {
    const before = JSON.stringify(this.viewQuery());
    // A status belongs to one tab: another tab drops it.
    const status = f.status && inTab(f.status, tab) && tab !== 'second' ? f.status : '';
    this.tab = tab;
    this.kind = f.kind;
    this.provider = f.provider;
    this.account = f.account;
    this.currency = f.currency;
    this.method = f.method;
    this.status = status;
    this.amountMin = f.amountMin;
    this.amountMax = f.amountMax;
    this.olderThan = f.olderThan;
    this.newerThan = f.newerThan;
    this.operator = f.operator;
    this.search = f.search;
    this.order = f.order;
    return JSON.stringify(this.viewQuery()) !== before;
  }

  /** Every filter off, the saved views and the operators forgotten (the tab stays): for the next operator. */
  protected resetView(): void {
    this.assign(this.tab, NO_FILTERS);
    this.views = [];
    this.viewsAt = -Infinity;
    this.viewsToken++;
    this.operatorChoices = null;
    this.operatorsToken++;
  }

  /**
   * The view would list `s` whatever pages were read: it is on the tab and
   * nothing narrows but a kind or provider it has.
   */
  protected lists(s: RequestSummary): boolean {
    const onlyKindProvider = !(
      this.account ||
      this.currency ||
      this.method ||
      this.status ||
      this.amountMin.trim() ||
      this.amountMax.trim() ||
      this.olderThan.trim() ||
      this.newerThan.trim() ||
      this.operator ||
      effectiveSearch(this.search)
    );
    return (
      inTab(s.status, this.tab) &&
      onlyKindProvider &&
      (!this.kind || this.kind === s.kind) &&
      (!this.provider || this.provider === s.provider)
    );
  }

  /** The filters that cannot hide `s`: all off but a kind or provider it has, the order kept. */
  protected widenedFor(s: RequestSummary): QueueFilters {
    return {
      ...NO_FILTERS,
      order: this.order,
      kind: this.kind === s.kind ? this.kind : '',
      provider: this.provider === s.provider ? this.provider : '',
    };
  }

  /**
   * The saved views and their counts, read again when `force`d or when the
   * last read is older than VIEWS_EVERY_MS. A failure leaves them as they were.
   */
  async loadViews(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.viewsAt < VIEWS_EVERY_MS) return;
    this.viewsAt = now;
    const token = ++this.viewsToken;
    try {
      const views = await this.backend.savedViews();
      if (token === this.viewsToken) this.views = views;
    } catch {
      // Counts are a convenience: the queue itself reports its own errors.
    }
  }

  /**
   * Reads whom the operator filter offers (the people list). The core refuses
   * it to an agent (needs_role): the filter is then hidden, and that is no
   * error. Any other failure leaves the filter hidden and is thrown.
   */
  async loadOperators(): Promise<void> {
    const token = ++this.operatorsToken;
    try {
      const people = await this.backend.people();
      if (token === this.operatorsToken) this.operatorChoices = people.map((p) => ({ id: p.id, name: p.name }));
    } catch (e) {
      if (token !== this.operatorsToken) return;
      this.operatorChoices = null;
      if (errorCode(e) !== 'needs_role') throw e;
    }
  }

  /** Saves the view on screen under `name` (the core replaces one of that name). */
  async saveView(name: string): Promise<void> {
    this.storedViews(await this.backend.saveView(name.trim(), this.viewQuery()));
  }

  async deleteView(name: string): Promise<void> {
    this.storedViews(await this.backend.deleteView(name));
  }

  /** The core's list after a change: it wins over any read still on its way, and counts as fresh. */
  private storedViews(views: SavedView[]): void {
    this.viewsToken++;
    this.viewsAt = Date.now();
    this.views = views;
  }
}
