// The keyboard shortcuts the desk has, as the `?` sheet lists them, and the
// tooltip wording of a control that has one. The keys themselves are handled
// where they act: App.svelte (the queue, the request, `?`, Ctrl+L, Escape),
// QueueFind.svelte (`/`, Escape in the search box), QueueRow.svelte (Enter),
// RejectDialog.svelte (1–9, Enter, Shift+Enter) and Modal.svelte (Escape).
import { t } from './i18n';

/** One way to press a shortcut: keys held together (`Ctrl` `L`). */
export type Combo = string[];

export interface Shortcut {
  /** Alternatives (`↓` or `j`), or with `range` the first and last of a run (`1`–`9`). */
  keys: Combo[];
  range?: boolean;
  /** The i18n key of what it does. */
  does: string;
}

export interface ShortcutGroup {
  id: 'queue' | 'request' | 'reject' | 'desk';
  items: Shortcut[];
  /** A note under the group (i18n key). */
  note?: string;
}

/** Key names as the language writes them on screen (keyboards keep their Latin labels). */
export const keyName = {
  enter: () => t('reject.enter'),
  esc: () => t('reject.esc'),
  shift: () => t('reject.shift'),
  space: () => t('keys.space'),
};

/** Every shortcut, by where it acts. Built on each call: the key names follow the language. */
export function shortcutGroups(): ShortcutGroup[] {
  const enter = keyName.enter();
  const esc = keyName.esc();
  return [
    {
      id: 'queue',
      items: [
        { keys: [['/']], does: 'keys.search' },
        { keys: [['↓'], ['j']], does: 'keys.next' },
        { keys: [['↑'], ['k']], does: 'keys.previous' },
        { keys: [[enter], [keyName.space()]], does: 'keys.open' },
        { keys: [[esc]], does: 'keys.search_clear' },
      ],
    },
    {
      id: 'request',
      items: [
        { keys: [['a']], does: 'keys.approve' },
        { keys: [['r']], does: 'keys.reject' },
        { keys: [[enter], ['a']], does: 'keys.confirm' },
        { keys: [[esc]], does: 'keys.cancel_confirm' },
      ],
      note: 'keys.decide_next',
    },
    {
      id: 'reject',
      items: [
        { keys: [['1'], ['9']], range: true, does: 'keys.pick_reason' },
        { keys: [[enter]], does: 'keys.reject_send' },
        { keys: [[keyName.shift(), enter]], does: 'keys.new_line' },
        { keys: [[esc]], does: 'keys.cancel_dialog' },
      ],
    },
    {
      id: 'desk',
      items: [
        { keys: [['?']], does: 'keys.sheet' },
        { keys: [['Ctrl', 'L']], does: 'keys.lock' },
        { keys: [[esc]], does: 'keys.back' },
      ],
    },
  ];
}

/** A control's tooltip naming its key(s): "Approve (shortcut: a)". */
export function keyTip(action: string, ...keys: string[]): string {
  return t('keys.tip', { action, keys: keys.join(` ${t('keys.or')} `) });
}
