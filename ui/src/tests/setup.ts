// Unmounts components between tests.
import '@testing-library/svelte/vitest';
