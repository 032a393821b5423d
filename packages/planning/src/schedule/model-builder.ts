import type { ModelData } from 'highs';

/** A HiGHS model built row by row (compressed sparse rows), for the schedule's MIPs and transportation problems. */
export class ModelBuilder {
  private readonly costs: number[] = [];
  private readonly integer: boolean[] = [];
  private readonly columnUpper: number[] = [];
  private readonly starts = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];

  get columnCount(): number {
    return this.costs.length;
  }

  /** A column ≥ 0 (and ≤ `upper`); its index. */
  addColumn(cost: number, isInteger: boolean, upper = Infinity): number {
    this.costs.push(cost);
    this.integer.push(isInteger);
    this.columnUpper.push(upper);
    return this.costs.length - 1;
  }

  /** lower ≤ Σ value·column ≤ upper; ±Infinity for no bound. A column appears once per row. */
  addRow(entries: Iterable<readonly [number, number]>, lower: number, upper: number): void {
    for (const [column, value] of entries) {
      if (value === 0) continue;
      this.indices.push(column);
      this.values.push(value);
    }
    this.starts.push(this.indices.length);
    this.lower.push(lower);
    this.upper.push(upper);
  }

  build(infinity: number): ModelData {
    const bound = (v: number) => (v === Infinity ? infinity : v === -Infinity ? -infinity : v);
    const numCols = this.costs.length;
    const numRows = this.lower.length;
    return {
      numCols,
      numRows,
      colCost: this.costs,
      colLower: new Float64Array(numCols),
      colUpper: this.columnUpper.map(bound),
      rowLower: this.lower.map(bound),
      rowUpper: this.upper.map(bound),
      matrix: { format: 'csr', numRows, numCols, starts: Int32Array.from(this.starts), indices: Int32Array.from(this.indices), values: this.values },
      integrality: Int32Array.from(this.integer, (isInteger) => (isInteger ? 1 : 0)),
    };
  }
}
