import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Chart from '../lib/components/Chart.svelte';

// Chart.js itself needs a real canvas: here it is replaced by a recorder,
// to check what the wrapper asks of it and when.
const made = vi.hoisted(() => [] as { config: any; update: any; destroy: any; data: any; options: any }[]);
const registered = vi.hoisted(() => [] as unknown[]);

vi.mock('chart.js', () => {
  class FakeChart {
    static register(...items: unknown[]) {
      registered.push(...items);
    }
    config: any;
    data: any;
    options: any;
    update = vi.fn();
    destroy = vi.fn();
    constructor(_ctx: unknown, config: any) {
      this.config = config;
      this.data = config.data;
      this.options = config.options;
      made.push(this);
    }
  }
  const part = (name: string) => ({ id: name });
  return {
    Chart: FakeChart,
    BarController: part('bar'),
    BarElement: part('barElement'),
    CategoryScale: part('category'),
    Legend: part('legend'),
    LinearScale: part('linear'),
    LineController: part('line'),
    LineElement: part('lineElement'),
    PointElement: part('point'),
    Tooltip: part('tooltip'),
  };
});

const getContext = HTMLCanvasElement.prototype.getContext;

describe('Chart wrapper', () => {
  beforeEach(() => {
    made.length = 0;
  });
  afterEach(() => {
    HTMLCanvasElement.prototype.getContext = getContext;
  });

  it('draws nothing and throws nothing without a 2D context', () => {
    const { getByTestId } = render(Chart, {
      props: { type: 'bar', labels: ['a'], series: [{ label: 'n', values: [1] }], label: 'A chart', testid: 'c' },
    });
    expect(getByTestId('c').getAttribute('aria-label')).toBe('A chart');
    expect(made).toHaveLength(0);
  });

  it('makes the chart on mount without animation, updates it in place, destroys it on unmount', async () => {
    HTMLCanvasElement.prototype.getContext = (() => ({})) as unknown as typeof getContext;
    const { rerender, unmount } = render(Chart, {
      props: {
        type: 'line',
        labels: ['09:00', '09:05'],
        series: [
          { label: 'All', values: [3, 4], emphasis: true },
          { label: 'Zexabit', values: [2, 3] },
        ],
        label: 'Queue depth',
        testid: 'c',
      },
    });
    expect(made).toHaveLength(1);
    const chart = made[0];
    expect(registered.length).toBeGreaterThan(0);
    expect(chart.config.type).toBe('line');
    expect(chart.options.animation).toBe(false);
    expect(chart.data.labels).toEqual(['09:00', '09:05']);
    expect(chart.data.datasets.map((d: { label: string; data: number[] }) => [d.label, d.data])).toEqual([
      ['All', [3, 4]],
      ['Zexabit', [2, 3]],
    ]);
    expect(chart.data.datasets[0].borderWidth).toBeGreaterThan(chart.data.datasets[1].borderWidth);

    await rerender({ labels: ['09:00', '09:05', '09:10'], series: [{ label: 'All', values: [3, 4, 6], emphasis: true }] });
    expect(made).toHaveLength(1);
    expect(chart.update).toHaveBeenLastCalledWith('none');
    expect(chart.data.labels).toEqual(['09:00', '09:05', '09:10']);
    expect(chart.data.datasets[0].data).toEqual([3, 4, 6]);

    await rerender({ type: 'bar' });
    expect(chart.destroy).toHaveBeenCalledTimes(1);
    expect(made).toHaveLength(2);
    unmount();
    expect(made[1].destroy).toHaveBeenCalledTimes(1);
  });
});
