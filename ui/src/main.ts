// Marks read by the app benchmark (tests/bench/app_bench.rs --detail).
performance.mark('cashdesk:script');
import { mount } from 'svelte';
import './app.css';
import './lib/settings.css';
import App from './App.svelte';
import { tauriBackend } from './lib/backend';

const app = mount(App, {
  target: document.getElementById('app')!,
  props: { backend: tauriBackend },
});

performance.mark('cashdesk:mounted');

export default app;
