/** A growing stream of int32 ids: doubles its typed buffer as needed, never a giant JS array. */
export class IdBuffer {
  #ids: Int32Array;
  #length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.#ids = new Int32Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  push(id: number): void {
    if (this.#length === this.#ids.length) {
      const grown = new Int32Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    this.#ids[this.#length++] = id;
  }

  /** The ids pushed so far, in a buffer of their exact length (a copy). */
  toInt32Array(): Int32Array {
    return this.#ids.slice(0, this.#length);
  }
}
