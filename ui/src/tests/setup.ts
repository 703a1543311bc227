// Unmounts components between tests.
import '@testing-library/svelte/vitest';

// jsdom has no canvas: a chart gets no 2D context (the Chart wrapper then
// draws nothing and the hidden table carries the numbers) instead of
// jsdom's "not implemented" message.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// The queue's virtual list needs a viewport size and scrollTo (see layout.ts).
import { installLayout } from './layout';
installLayout();
