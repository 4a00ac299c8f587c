// Every revision's time and author, as `GET /api/pads/{id}/timeline` gives them:
//
//   {"head": 3, "authors": ["a.api", "a.ann"], "start": 1765000000000,
//    "times": [0, 1200, 40, 9000], "by": [0, 1, 1, 0]}
//
// `times` are milliseconds since the revision before (the first is 0: `start` is its
// time), `by` indexes `authors`. A pad of 130,000 revisions is 0.8 MB of JSON; kept here in
// typed arrays (8 and 4 bytes a revision), so that drawing the whole history, finding the
// revision at a time and asking who wrote one never walk objects.

/** Every revision's time and author; grows as revisions are added (`extend`). */
export class Timeline {
  /**
   * @param {{head: number, authors: string[], start: number|null, times: number[], by: number[]}} json
   *   the timeline endpoint's answer
   * @throws {TypeError} if its arrays do not have one entry per revision
   */
  constructor(json) {
    const count = json.times.length;
    if (json.by.length !== count || json.head !== count - 1) {
      throw new TypeError(`a timeline of ${json.head + 1} revisions has ${count} times and ${json.by.length} authors`);
    }
    /** Author ids, in the order `by` numbers them. */
    this.authors = [...json.authors];
    this._index = new Map(this.authors.map((author, index) => [author, index]));
    this._times = new Float64Array(Math.max(16, count));
    this._by = new Uint32Array(Math.max(16, count));
    this._count = 0;
    let time = json.start ?? 0;
    for (let rev = 0; rev < count; rev++) {
      time += json.times[rev];
      this._push(time, json.by[rev]);
    }
  }

  /** The newest revision (-1 for a pad without revisions, which no stored pad is). */
  get head() {
    return this._count - 1;
  }

  /** When revision `rev` was stored (ms since 1970). */
  timeOf(rev) {
    this._check(rev);
    return this._times[rev];
  }

  /** Who wrote revision `rev` (an author id, `a.<user>`). */
  authorOf(rev) {
    this._check(rev);
    return this.authors[this._by[rev]];
  }

  /** The index of `rev`'s author in `authors` (to count or color without strings). */
  authorIndexOf(rev) {
    this._check(rev);
    return this._by[rev];
  }

  /**
   * The revision in effect at `time`: the newest stored at or before it (0 for a time
   * before the first; times never decrease along the revisions).
   * @param {number} time ms since 1970
   * @returns {number}
   */
  revisionAt(time) {
    let low = 0;
    let high = this._count; // first revision stored after `time` is in [low, high]
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this._times[middle] <= time) low = middle + 1;
      else high = middle;
    }
    return Math.max(0, low - 1);
  }

  /**
   * Add revisions stored since (as `GET .../revisions?since=head+1` lists them); ones
   * already here are skipped.
   * @param {Array<{rev: number, author: string, time: number}>} revisions in order
   * @returns {number} how many were added
   * @throws {RangeError} if one would leave a gap
   */
  extend(revisions) {
    let added = 0;
    for (const { rev, author, time } of revisions) {
      if (rev < this._count) continue;
      if (rev !== this._count) throw new RangeError(`revision ${rev} follows ${this.head}: a gap`);
      let index = this._index.get(author);
      if (index === undefined) {
        index = this.authors.push(author) - 1;
        this._index.set(author, index);
      }
      // clocks can step back; a timeline whose times never decrease keeps revisionAt exact
      this._push(Math.max(time, this._count ? this._times[this._count - 1] : time), index);
      added++;
    }
    return added;
  }

  _push(time, authorIndex) {
    if (this._count === this._times.length) {
      const times = new Float64Array(this._times.length * 2);
      times.set(this._times);
      const by = new Uint32Array(this._by.length * 2);
      by.set(this._by);
      this._times = times;
      this._by = by;
    }
    this._times[this._count] = time;
    this._by[this._count] = authorIndex;
    this._count++;
  }

  _check(rev) {
    if (!Number.isInteger(rev) || rev < 0 || rev >= this._count) {
      throw new RangeError(`no revision ${rev}: the timeline holds 0 to ${this.head}`);
    }
  }
}
