// How a provider account's connection reads in the window: always in words,
// the colour only repeats them.
import type { LinkState } from './bindings/LinkState';
import type { LinkView } from './bindings/LinkView';
import type { Tone } from './status';
import { t } from './i18n';
import { clockTime } from './time';

export const LINK_TONE: Record<LinkState, Tone> = {
  online: 'ok',
  offline: 'warn',
  refusing: 'bad',
  unknown: 'muted',
};

/** "online", "offline since 12:03", "answering with an error", "not checked yet". */
export function linkWords(link: LinkView, now: number): string {
  switch (link.state) {
    case 'online':
      return t('links.online');
    case 'offline':
      return link.since ? t('links.offline_since', { time: clockTime(link.since, now) }) : t('links.offline');
    case 'refusing':
      return t('links.refusing');
    case 'unknown':
      return t('links.unknown');
  }
}

/**
 * Why an approved request has not gone out yet, when its account cannot be
 * reached; null while the account is online or not checked yet.
 */
export function waitingNote(link: LinkView | undefined, now: number): string | null {
  if (!link) return null;
  if (link.state === 'offline') {
    const account = link.account_name;
    return link.since
      ? t('links.waiting_offline_since', { account, time: clockTime(link.since, now) })
      : t('links.waiting_offline', { account });
  }
  if (link.state === 'refusing') {
    const detail = link.detail.trim();
    const provider = link.provider_label;
    if (!detail) return t('links.waiting_refusing', { provider });
    return t('links.waiting_refusing_detail', { provider, detail: /[.!?]$/.test(detail) ? detail : `${detail}.` });
  }
  return null;
}
