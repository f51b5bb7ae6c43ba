/**
 * The addresses an import has already read, as 53-bit hashes in one typed array (open addressing, linear
 * probing): 8 bytes a slot outside the JavaScript heap. A `Set<number>` of a million such hashes takes ~37 MB
 * of heap (each one a boxed number), and V8 then lets the heap grow to several times what is alive. A
 * collision of two different addresses (about 1 in 10^4 for a million) only miscounts one duplicate: rows are
 * merged by the address itself.
 *
 * @example
 * const seen = new SeenAddresses();
 * seen.add('jan@example.nl'); // true: first time
 * seen.add('jan@example.nl'); // false: seen before
 */
export class SeenAddresses {
  // Two 32-bit halves per slot; 0/0 marks an empty slot (a hash of 0 is stored as 1).
  private slots = new Uint32Array(2 * 1024);
  private count = 0;

  /** Adds an address; false when it was there already. */
  add(address: string): boolean {
    const hash = hash53(address);
    const high = Math.floor(hash / 4294967296);
    const low = hash >>> 0 || (high === 0 ? 1 : 0);
    if (this.insert(high, low)) {
      this.count += 1;
      // Keep at most half of the slots used, so probes stay short.
      if (this.count * 4 > this.slots.length) this.grow();
      return true;
    }
    return false;
  }

  get size(): number {
    return this.count;
  }

  private insert(high: number, low: number): boolean {
    const mask = this.slots.length / 2 - 1;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 2;
      const storedHigh = this.slots[at] ?? 0;
      const storedLow = this.slots[at + 1] ?? 0;
      if (storedHigh === 0 && storedLow === 0) {
        this.slots[at] = high;
        this.slots[at + 1] = low;
        return true;
      }
      if (storedHigh === high && storedLow === low) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at] ?? 0;
      const low = old[at + 1] ?? 0;
      if (high !== 0 || low !== 0) this.insert(high, low);
    }
  }
}

/** cyrb53: a fast, well-spread 53-bit string hash (public domain), exact in a JavaScript number. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
