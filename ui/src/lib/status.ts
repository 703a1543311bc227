// Presentation facts about statuses and providers that the bindings do not
// carry. Labels (status in words) come from the backend; other languages
// put their own words over them (`statusLabel`). Labels here are getters so
// they follow the window's language wherever they are read.
import { digits, t, tOr } from './i18n';
import type { ProviderKind } from './bindings/ProviderKind';
import type { QueueTab } from './bindings/QueueTab';
import type { RequestKind } from './bindings/RequestKind';
import type { RequestStatus } from './bindings/RequestStatus';
import type { Role } from './bindings/Role';

export type Tone = 'waiting' | 'progress' | 'ok' | 'bad' | 'warn' | 'muted';

export function toneOf(status: RequestStatus): Tone {
  switch (status) {
    case 'pending':
    case 'awaiting_second_approval':
      return 'waiting';
    case 'approved':
    case 'submitting':
    case 'awaiting_provider':
      return 'progress';
    case 'completed':
      return 'ok';
    case 'rejected_by_provider':
    case 'failed':
    case 'rejected':
      return 'bad';
    case 'outcome_unknown':
    case 'amount_differs':
      return 'warn';
    case 'expired':
      return 'muted';
  }
}

/** Same mapping as the store's QueueView::of (the "second" tab is a filter of "queue"). */
export function tabOf(status: RequestStatus): QueueTab {
  switch (status) {
    case 'pending':
    case 'awaiting_second_approval':
      return 'queue';
    case 'approved':
    case 'submitting':
    case 'awaiting_provider':
      return 'in_flight';
    case 'failed':
    case 'outcome_unknown':
    case 'amount_differs':
      return 'attention';
    default:
      return 'done';
  }
}

/** Whether a request with `status` is listed under `tab` ("second" is a part of the queue). */
export function inTab(status: RequestStatus, tab: QueueTab): boolean {
  return tab === 'second' ? status === 'awaiting_second_approval' : tabOf(status) === tab;
}

/** `{ id, label }` whose label is the current language's `${ns}.${id}`. */
function labelled<T extends string>(ns: string, ids: T[]): { id: T; label: string }[] {
  return ids.map((id) => ({
    id,
    get label() {
      return t(`${ns}.${id}`);
    },
  }));
}

export const TABS: { id: QueueTab; label: string }[] = labelled<QueueTab>('tabs', [
  'queue',
  'second',
  'in_flight',
  'attention',
  'done',
]);

export const PROVIDERS: { id: ProviderKind; label: string }[] = [
  { id: 'zexabit', label: 'Zexabit' },
  { id: 'paykassma', label: 'Paykassma' },
  { id: 'zimo_pagos', label: 'Zimo-pagos' },
  { id: 'cashweb', label: 'CashWeb' },
];

/** Operators' roles in words, in the order the desk lists them. */
export const ROLES: { id: Role; label: string }[] = labelled<Role>('roles', ['agent', 'supervisor', 'admin']);

/** "Agent, Supervisor": an operator's roles for the menu and the admin's list. */
export function rolesText(roles: Role[]): string {
  return ROLES.filter((r) => roles.includes(r.id))
    .map((r) => r.label)
    .join(', ');
}

export const KIND_LABEL: Record<RequestKind, string> = {
  get deposit() {
    return t('kind.deposit');
  },
  get withdrawal() {
    return t('kind.withdrawal');
  },
};

/** A status in the current language; the core's own words in English. */
export function statusLabel(status: RequestStatus, coreLabel: string): string {
  return tOr(`status.${status}`, coreLabel);
}

/** Tab counts are capped at 9999 by the backend. */
export function formatCount(n: number): string {
  return digits(n >= 9999 ? '9999+' : String(n));
}

/**
 * The provider's word on a request, e.g. "Zexabit refused: INSUFFICIENT_BALANCE — …".
 * `reason` is shown exactly as it came.
 */
export function providerLine(
  providerLabel: string,
  status: RequestStatus,
  providerStatus: string | null,
  reason: string | null,
): string | null {
  if (reason) {
    const refused = status === 'rejected_by_provider' || status === 'failed';
    return t(refused ? 'status.provider_refused' : 'status.provider_says', { provider: providerLabel, reason });
  }
  if (providerStatus) return t('status.provider_status', { provider: providerLabel, status: providerStatus });
  return null;
}
