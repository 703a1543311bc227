// Presentation helpers for the supervisor's people pages: decisions in
// words, roles, and how close an agent is to their daily limit.
import type { RunningTotal } from './bindings/RunningTotal';
import { percentOf } from './decimal';
import { t } from './i18n';
import { ROLES } from './status';

/** The decisions a person page filters by, as the core names them. */
export const ACTIONS: { id: string; label: string }[] = [
  'approve',
  'first_approval',
  'second_approval',
  'send_again',
  'reject',
  'settle',
].map((id) => ({
  id,
  // A getter: the label follows the window's language wherever it is read.
  get label() {
    return t(`actions.${id}`);
  },
}));

/** "Second approval" for `second_approval`; an unknown action as it came. */
export function actionLabel(action: string): string {
  return ACTIONS.find((a) => a.id === action)?.label ?? action.replace(/_/g, ' ');
}

/** "Agent, Supervisor": roles in words, in the desk's order. */
export function rolesText(roles: string[]): string {
  const known = ROLES.filter((r) => roles.includes(r.id)).map((r) => r.label);
  const other = roles.filter((r) => !ROLES.some((k) => k.id === r));
  return [...known, ...other].join(', ');
}

export type LimitLevel = 'none' | 'ok' | 'near' | 'reached';

/** How far today's approvals are into the daily limit: per cent (capped for the bar) and level. */
export function limitUse(t: RunningTotal): { percent: number | null; bar: number; level: LimitLevel } {
  const percent = t.limit === null ? null : percentOf(t.approved, t.limit);
  if (percent === null) return { percent: null, bar: 0, level: 'none' };
  const level: LimitLevel = percent >= 100 ? 'reached' : percent >= 80 ? 'near' : 'ok';
  return { percent, bar: Math.min(100, percent), level };
}
