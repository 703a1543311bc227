// jsdom lays nothing out: no ResizeObserver, no scrollTo. The virtual list
// (virtua) measures its viewport with a ResizeObserver, so tests give every
// observed element `viewport.height` (rows are never measured: jsdom has
// no offsetParent, so each keeps the list's estimate). A test that wants a
// short window sets `viewport.height` before rendering.

export const viewport = { height: 4000, width: 800 };

class FakeResizeObserver implements ResizeObserver {
  private cb: ResizeObserverCallback;
  private watched = new Set<Element>();
  constructor(cb: ResizeObserverCallback) {
    this.cb = cb;
  }
  observe(target: Element): void {
    this.watched.add(target);
    const { width, height } = viewport;
    const entry = {
      target,
      contentRect: { width, height, top: 0, left: 0, bottom: height, right: width, x: 0, y: 0 } as DOMRectReadOnly,
      borderBoxSize: [{ inlineSize: width, blockSize: height }],
      contentBoxSize: [{ inlineSize: width, blockSize: height }],
      devicePixelContentBoxSize: [],
    } as unknown as ResizeObserverEntry;
    queueMicrotask(() => {
      if (this.watched.has(target)) this.cb([entry], this);
    });
  }
  unobserve(target: Element): void {
    this.watched.delete(target);
  }
  disconnect(): void {
    this.watched.clear();
  }
}

export function installLayout(): void {
  globalThis.ResizeObserver ??= FakeResizeObserver;
  const proto = Element.prototype as Element & {
    scrollTo: (o?: ScrollToOptions | number, y?: number) => void;
    scrollBy: (o?: ScrollToOptions | number, y?: number) => void;
  };
  const scrollTo = function (this: Element, o?: ScrollToOptions | number, y?: number) {
    const top = typeof o === 'object' ? o.top : y;
    if (top !== undefined) this.scrollTop = Math.max(0, top);
    this.dispatchEvent(new Event('scroll'));
  };
  proto.scrollTo ??= scrollTo;
  proto.scrollBy ??= function (this: Element, o?: ScrollToOptions | number, y?: number) {
    const top = typeof o === 'object' ? o.top : y;
    scrollTo.call(this, { top: this.scrollTop + (top ?? 0) });
  };
}
