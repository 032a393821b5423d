import { describe, expect, it } from 'vitest';
import { fitIntervalModel, getIntervalBounds } from './intervals.ts';

describe('80% prediction intervals', () => {
  it('estimate the relative error beyond Poisson noise by moments', () => {
    // Forecast 100 everywhere, actuals 80 or 120: E[(a − f)²] = 400, Poisson part 100,
    // so κ = (400 − 100) / 100² = 0.03 and every standardised residual is ±20/√400 = ±1.
    const forecast = new Array<number>(40).fill(100);
    const actual = forecast.map((_, i) => (i % 2 === 0 ? 80 : 120));
    const model = fitIntervalModel({ forecast, actual }, 1000);
    expect(model.kappa).toBeCloseTo(0.03, 12);
    expect(model.zLow).toBe(-1);
    expect(model.zHigh).toBe(1);
    const { lo80, hi80 } = getIntervalBounds(model, [100, 0]);
    expect(lo80[0]).toBeCloseTo(80, 9);
    expect(hi80[0]).toBeCloseTo(120, 9);
    expect([lo80[1], hi80[1]]).toEqual([0, 0]);
  });

  it('always contain the forecast and never go below zero', () => {
    // Residuals all positive (a biased backtest): the lower bound stops at the forecast.
    const forecast = new Array<number>(40).fill(10);
    const actual = forecast.map((_, i) => 12 + (i % 5));
    const model = fitIntervalModel({ forecast, actual }, 1000);
    const { lo80, hi80 } = getIntervalBounds(model, [1, 10, 50]);
    [1, 10, 50].forEach((f, i) => {
      expect(lo80[i]).toBeGreaterThanOrEqual(0);
      expect(lo80[i]).toBeLessThanOrEqual(f);
      expect(hi80[i]).toBeGreaterThan(f);
    });
  });

  it('widen the quantiles when few days stand behind them', () => {
    const forecast = Array.from({ length: 100 }, () => 100);
    const actual = forecast.map((_, i) => 100 + (i - 49.5));
    const many = fitIntervalModel({ forecast, actual }, 10_000);
    const few = fitIntervalModel({ forecast, actual }, 18);
    // 18 days: tails at 0.1 − 0.9/18 = 0.05 instead of 0.1.
    expect(few.zHigh).toBeGreaterThan(many.zHigh);
    expect(few.zLow).toBeLessThan(many.zLow);
  });
});
