/**
 * Ridge least squares on a handful of parameters: rows are sparse (index, value)
 * pairs so a design with one-hot week and weekday columns costs O(rows × nonzeros²).
 */
export interface SparseRow {
  indices: readonly number[];
  values: readonly number[];
}

/** Solves (XᵀX + diag(penalty)) β = Xᵀy by Cholesky; penalty must make the system positive definite. */
export function solveRidge(rows: readonly SparseRow[], y: readonly number[], penalty: readonly number[]): number[] {
  const p = penalty.length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  rows.forEach((row, r) => {
    for (let i = 0; i < row.indices.length; i++) {
      const ii = row.indices[i]!;
      const vi = row.values[i]!;
      b[ii]! += vi * y[r]!;
      for (let j = 0; j < row.indices.length; j++) a[ii * p + row.indices[j]!]! += vi * row.values[j]!;
    }
  });
  for (let i = 0; i < p; i++) a[i * p + i]! += penalty[i]!;
  // In-place Cholesky: a = L Lᵀ, L in the lower triangle.
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! ** 2;
    if (!(d > 0)) throw new Error('least squares system is not positive definite');
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * z[k]!;
    z[i] = s / a[i * p + i]!;
  }
  const beta = new Array<number>(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * beta[k]!;
    beta[i] = s / a[i * p + i]!;
  }
  return beta;
}
