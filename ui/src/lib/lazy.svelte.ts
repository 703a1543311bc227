// Views the log-in screen and the queue do not need are chunks of their
// own, imported with `import()` the first time they open: the first script
// WebKitGTK parses before anything shows is then only the log-in screen's
// and the queue's. Render one with <Lazy of={…} /> (components/Lazy.svelte).
import type { Component } from 'svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;

/** A component in a chunk of its own: imported on first use, then kept. */
export interface LazyComponent<P extends Props> {
  /** The component once its chunk has loaded (reactive), else null. */
  readonly component: Component<P> | null;
  /** Why the last load failed, if it did (the next `load` tries again). */
  readonly error: unknown;
  /** Imports the chunk (once; every caller shares the one import). */
  load(): Promise<void>;
}

export function lazy<P extends Props>(importer: () => Promise<{ default: Component<P> }>): LazyComponent<P> {
  let component = $state.raw<Component<P> | null>(null);
  let error = $state.raw<unknown>(null);
  let pending: Promise<void> | null = null;
  return {
    get component() {
      return component;
    },
    get error() {
      return error;
    },
    load() {
      pending ??= importer().then(
        (m) => {
          component = m.default;
          error = null;
        },
        (e: unknown) => {
          pending = null;
          error = e;
        },
      );
      return pending;
    },
  };
}
