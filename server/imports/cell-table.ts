// The patron cube's cells: a hash table in typed arrays, keyed by two small integers (a cell's
// area × age codes and its language × type × branch × active codes), adding up a count and a sum
// per cell. Open addressing with linear probing, at most half full; no object per cell, so a
// quarter of a million cells cost a few megabytes and a lookup is a few integer operations.

const EMPTY = 0;

export class CellTable {
  /** Cells in order of first appearance: keys, count and sum of each. */
  outer = new Int32Array(1024);
  inner = new Int32Array(1024);
  counts = new Float64Array(1024);
  sums = new Float64Array(1024);
  size = 0;
  /** slot → cell index + 1 (0: empty). */
  private slots = new Int32Array(2048);
  private mask = 2047;

  private static hash(outer: number, inner: number): number {
    let h = Math.imul(outer, 0x9e3779b1) ^ Math.imul(inner, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 12);
  }

  /** Adds `count` and `sum` to the cell (outer, inner), creating it when new. */
  add(outer: number, inner: number, count: number, sum: number): void {
    let slot = CellTable.hash(outer, inner) & this.mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === EMPTY) break;
      const cell = entry - 1;
      if (this.outer[cell] === outer && this.inner[cell] === inner) {
        this.counts[cell] = (this.counts[cell] as number) + count;
        this.sums[cell] = (this.sums[cell] as number) + sum;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const cell = this.size++;
    if (cell === this.outer.length) this.growCells();
    this.outer[cell] = outer;
    this.inner[cell] = inner;
    this.counts[cell] = count;
    this.sums[cell] = sum;
    this.slots[slot] = cell + 1;
    if (this.size * 2 > this.slots.length) this.growSlots();
  }

  private growCells(): void {
    const grow = <T extends Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const bigger = make(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.outer = grow(this.outer, (n) => new Int32Array(n));
    this.inner = grow(this.inner, (n) => new Int32Array(n));
    this.counts = grow(this.counts, (n) => new Float64Array(n));
    this.sums = grow(this.sums, (n) => new Float64Array(n));
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let cell = 0; cell < this.size; cell++) {
      let slot = CellTable.hash(this.outer[cell] as number, this.inner[cell] as number) & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = cell + 1;
    }
  }
}
