/**
 * Entries under consecutive numeric ids, in a ring indexed by id, oldest first. The delivery
 * tracker's pending messages: ids are handed out in order, and every message gets the same deadline
 * span, so id order is deadline order.
 *
 * Not a Map: with one insert and one delete per message a Map is rehashed every few thousand
 * messages, and a retired table keeps its entries (and a link to its successor). Once a table is in
 * V8's old generation, every entry in it, and all a waiting request holds through its promise, lives
 * until the next full collection. The same pattern in OpenResponses (a Set) cost 1 MB promoted per
 * young collection (src/shutdown.ts). Here a slot is cleared on delete, and the array is replaced
 * only when the span of live ids outgrows it (the retired array is cleared first).
 */
export class IdRing<T> {
  private slots: Array<T | undefined> = new Array<T | undefined>(1024);
  private mask = 1023;
  /** Smallest id that may still hold an entry. */
  private oldest = 1;
  /** The id add() hands out next. */
  private next = 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(entry: T): number {
    if (this.next - this.oldest >= this.slots.length) this.grow();
    const id = this.next++;
    this.slots[id & this.mask] = entry;
    this.count++;
    return id;
  }

  get(id: number): T | undefined {
    return id >= this.oldest && id < this.next ? this.slots[id & this.mask] : undefined;
  }

  delete(id: number): boolean {
    if (this.get(id) === undefined) return false;
    this.slots[id & this.mask] = undefined;
    this.count--;
    while (this.oldest < this.next && this.slots[this.oldest & this.mask] === undefined) this.oldest++;
    return true;
  }

  /** Live ids, oldest first (a snapshot: deleting while iterating is safe). */
  ids(): number[] {
    const ids: number[] = [];
    for (let id = this.oldest; id < this.next; id++) if (this.slots[id & this.mask] !== undefined) ids.push(id);
    return ids;
  }

  /** The oldest live entry, or undefined when empty. */
  first(): { id: number; entry: T } | undefined {
    const entry = this.count > 0 ? this.slots[this.oldest & this.mask] : undefined;
    return entry === undefined ? undefined : { id: this.oldest, entry };
  }

  private grow(): void {
    const retired = this.slots;
    const capacity = retired.length * 2;
    const slots = new Array<T | undefined>(capacity);
    for (let id = this.oldest; id < this.next; id++) slots[id & (capacity - 1)] = retired[id & this.mask];
    retired.fill(undefined);
    this.slots = slots;
    this.mask = capacity - 1;
  }
}
