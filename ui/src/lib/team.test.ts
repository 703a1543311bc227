import { describe, expect, it } from 'vitest';
import { fingerprintExample, fingerprintTail, hostOf, matchesFingerprintTail, problemText } from './team';

const FP = 'SHA256:18:4C:E6:0A:64:60';

describe('fingerprintTail', () => {
  it('is the last two colon-separated groups', () => {
    expect(fingerprintTail(FP)).toBe('64:60');
    expect(fingerprintTail(' SHA256:00:11 ')).toBe('00:11');
  });
});

describe('matchesFingerprintTail', () => {
  it('accepts the two groups with or without the colon, spaces, in any case', () => {
    for (const typed of ['64:60', '6460', '64 60', ' 64 : 60 ', '6 4 6 0']) {
      expect(matchesFingerprintTail(typed, FP), typed).toBe(true);
    }
    expect(matchesFingerprintTail('e2:16', 'SHA256:AA:E2:16')).toBe(true);
    expect(matchesFingerprintTail('E216', 'sha256:aa:e2:16')).toBe(true);
  });

  it('refuses anything else, and nothing typed', () => {
    for (const typed of ['', '   ', '64', '60:64', '0A:64:60', '64:61', FP]) {
      expect(matchesFingerprintTail(typed, FP), typed).toBe(false);
    }
    expect(matchesFingerprintTail('', '')).toBe(false);
  });
});

describe('fingerprintExample', () => {
  it('is a fixed example, never the real value', () => {
    expect(fingerprintExample(FP)).toBe('AB:CD');
    expect(fingerprintExample('SHA256:12:ab:cd')).toBe('EF:01');
  });
});

describe('hostOf and problemText', () => {
  it('keep their behaviour', () => {
    expect(hostOf('https://desk.example:8651/')).toBe('desk.example:8651');
    expect(hostOf('not a url')).toBe('not a url');
    expect(problemText('connection refused.', 'no answer')).toBe('connection refused');
    expect(problemText(null, 'no answer')).toBe('no answer');
  });
});
