// Unmounts components between tests.
import '@testing-library/svelte/vitest';

// jsdom has no canvas: a chart gets no 2D context (the Chart wrapper then
// draws nothing and the hidden table carries the numbers) instead of
// jsdom's "not implemented" message.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// The queue's virtual list needs a viewport size and scrollTo (see layout.ts).
import { installLayout } from './layout';
installLayout();

// Screens load on demand (dynamic imports): on a loaded machine (a cargo
// build beside the tests) the first load of one can pass testing-library's
// 1 s default wait. Waits end as soon as the element shows; only a failing
// test waits longer.
import { configure } from '@testing-library/svelte';
configure({ asyncUtilTimeout: 5000 });
