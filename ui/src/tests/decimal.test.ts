import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  formatAmount,
  groupAmount,
  isDecimal,
  isZeroDecimal,
  percentOf,
  signedAmount,
  subtractDecimal,
} from '../lib/decimal';

describe('subtractDecimal', () => {
  it('subtracts at the larger scale', () => {
    expect(subtractDecimal('1490', '1500.50')).toBe('-10.50');
    expect(subtractDecimal('1500.50', '1490')).toBe('10.50');
    expect(subtractDecimal('1500.50', '1500.5')).toBe('0.00');
    expect(subtractDecimal('259990.00', '260000.00')).toBe('-10.00');
    expect(subtractDecimal('0.00010000', '0.0001')).toBe('0.00000000');
  });

  it('is exact where floats are not', () => {
    expect(subtractDecimal('0.1', '0.3')).toBe('-0.2');
    expect(subtractDecimal('0.3', '0.1')).toBe('0.2');
    expect(subtractDecimal('1.005', '0.001')).toBe('1.004');
  });

  it('handles negatives on either side', () => {
    expect(subtractDecimal('-5', '-7.25')).toBe('2.25');
    expect(subtractDecimal('-5', '7.25')).toBe('-12.25');
    expect(subtractDecimal('-0.01', '0')).toBe('-0.01');
    expect(subtractDecimal('0', '0.001')).toBe('-0.001');
  });

  it('keeps every digit of values beyond 2^53', () => {
    expect(subtractDecimal('9007199254740993.01', '0.01')).toBe('9007199254740993.00');
    expect(subtractDecimal('123456789012345678901234567890.5', '-0.5')).toBe('123456789012345678901234567891.0');
    expect(subtractDecimal('-99999999999999999999.99', '0.01')).toBe('-100000000000000000000.00');
  });

  it('refuses text that is not an exact decimal', () => {
    for (const bad of ['', '1,500.00', '1e3', '.5', '5.', 'abc', '--1', '+1']) {
      expect(isDecimal(bad)).toBe(false);
      expect(() => subtractDecimal(bad, '1')).toThrow();
    }
    expect(isDecimal(' -1500.50 ')).toBe(true);
  });
});

describe('decimal comparisons', () => {
  it('compares, finds zero and takes a share', () => {
    expect(compareDecimal('10.5', '10.50')).toBe(0);
    expect(compareDecimal('-1', '0.001')).toBe(-1);
    expect(compareDecimal('100000000000000000001', '100000000000000000000.99')).toBe(1);
    expect(isZeroDecimal('-0.00')).toBe(true);
    expect(isZeroDecimal('0.001')).toBe(false);
    expect(percentOf('41500.00', '50000.00')).toBe(83);
    expect(percentOf('40000', '50000.00')).toBe(80);
    expect(percentOf('50000.01', '50000')).toBe(100);
    expect(percentOf('1', '0')).toBeNull();
  });
});

describe('amount formatting', () => {
  it('groups lakh and crore for South Asian currencies, thousands otherwise', () => {
    expect(groupAmount('150000', 'BDT')).toBe('1,50,000.00');
    expect(groupAmount('12345678.5', 'INR')).toBe('1,23,45,678.50');
    expect(groupAmount('150000', 'PKR')).toBe('1,50,000.00');
    expect(groupAmount('150000', 'USD')).toBe('150,000.00');
    expect(groupAmount('1234567.891', 'MXN')).toBe('1,234,567.891');
    expect(groupAmount('999', 'BDT')).toBe('999.00');
    expect(groupAmount('1000', 'BDT')).toBe('1,000.00');
  });

  it('shows the currency places, signs and odd input as given', () => {
    expect(groupAmount('-1500.5', 'BDT')).toBe('-1,500.50');
    expect(groupAmount('-0.00', 'BDT')).toBe('0.00');
    expect(groupAmount('0.5', 'USDT')).toBe('0.50000000');
    expect(groupAmount('1500', 'JPY')).toBe('1,500');
    expect(groupAmount('007.10', 'USD')).toBe('7.10');
    expect(groupAmount('not money', 'BDT')).toBe('not money');
    expect(formatAmount('150000', 'BDT')).toBe('1,50,000.00 BDT');
  });

  it('writes differences with their sign', () => {
    expect(signedAmount('10.5', 'BDT')).toBe('+10.50');
    expect(signedAmount('-10.50', 'BDT')).toBe('-10.50');
    expect(signedAmount('0', 'BDT')).toBe('0.00');
    expect(signedAmount('150000', 'INR')).toBe('+1,50,000.00');
  });
});
