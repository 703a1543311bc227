// How a provider account's connection reads in the window: always in words,
// the colour only repeats them.
import type { LinkState } from './bindings/LinkState';
import type { LinkView } from './bindings/LinkView';
import type { Tone } from './status';
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
      return 'online';
    case 'offline':
      return link.since ? `offline since ${clockTime(link.since, now)}` : 'offline';
    case 'refusing':
      return 'answering with an error';
    case 'unknown':
      return 'not checked yet';
  }
}

/**
 * Why an approved request has not gone out yet, when its account cannot be
 * reached; null while the account is online or not checked yet.
 */
export function waitingNote(link: LinkView | undefined, now: number): string | null {
  if (!link) return null;
  if (link.state === 'offline') {
    const since = link.since ? ` since ${clockTime(link.since, now)}` : '';
    return (
      `Waiting to send: ${link.account_name} is offline${since}. ` +
      'It goes out by itself when the connection returns; nothing to do.'
    );
  }
  if (link.state === 'refusing') {
    const detail = link.detail.trim();
    return (
      `Waiting to send: ${link.provider_label} answers with an error` +
      (detail ? `: ${detail}${/[.!?]$/.test(detail) ? '' : '.'} ` : '. ') +
      'It goes out once that is fixed.'
    );
  }
  return null;
}
