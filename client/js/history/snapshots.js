// The document at any revision of a long pad, fast: the client keeps snapshots and
// composes forward, as the server's own store does.
//
//   revisions:  0 ........ 1000 ........ 2000 ........ 3000
//   snapshots:  S0         S1000         S2000                 fetched (content?format=atext)
//   pages:       [1..1000]  [1001..2000]  [2001..3000]         fetched (revisions?since=&limit=)
//   computed:      .  .  .    .  .  .                          kept on the way (every `stride`)
//
// To show revision N, start from the newest document held at or before N (a snapshot, or
// one computed on an earlier walk, at most `interval` back), fetch the pages missing and
// apply the changesets forward. With nothing held near N, fetch the document at N itself
// (one request); `prefetch` then fetches N's checkpoint and the page after it, so that the
// revisions around N only compute. `preload` fetches every page and computes a snapshot at
// each page's end. Each fetch is asked once, whoever waits on it. Computed documents share
// the lines they did not change with their ancestors (an AText is immutable and chunked),
// so keeping one every `stride` revisions costs little.
//
// Attribute numbers are the pad's own and a pad's pool only grows: the newest pool fetched
// resolves every changeset stored before it. A changeset citing a number past it (a
// revision stored since) makes the cache fetch the pool again.
//
// No I/O of its own: `source` fetches (see api.js), so node tests drive it with a fake.

import { AttributePool, applyToAText, makeAText } from '../changeset.js';

/**
 * @typedef {object} SnapshotSource what the cache fetches through
 * @property {(rev: number) => Promise<{atext: {text: string, attribs: string}, pool: object}>} atext
 *   the document at `rev` and the pad's pool (`GET content?rev=&format=atext`)
 * @property {(since: number, limit: number) => Promise<Array<{rev: number, changeset: string}>>} revisions
 *   revisions `since` and up, at most `limit` (`GET revisions?since=&limit=`)
 */

/** Revisions between two snapshots fetched from the server (one page of changesets). */
export const INTERVAL_REVISIONS = 1000;
/** A computed document is kept every this many revisions of a walk. */
export const STRIDE_REVISIONS = 50;
/** Computed documents kept (besides the snapshots); the least recently used go first. */
export const MAX_COMPUTED = 4000;

/** Snapshots and changesets of one pad, and what was composed from them. */
export class SnapshotCache {
  /**
   * @param {SnapshotSource} source
   * @param {{interval?: number, stride?: number, maxComputed?: number}} [options]
   */
  constructor(source, options = {}) {
    this.source = source;
    this.interval = options.interval ?? INTERVAL_REVISIONS;
    this.stride = options.stride ?? STRIDE_REVISIONS;
    this.maxComputed = options.maxComputed ?? MAX_COMPUTED;
    /** The pad's pool: resolves every document and changeset held. */
    this.pool = new AttributePool();
    /** @type {Map<number, import('../changeset.js').AText>} checkpoint -> its document */
    this._snapshots = new Map();
    /** @type {Map<number, import('../changeset.js').AText>} rev -> document, oldest use first */
    this._computed = new Map();
    /** @type {Map<number, string[]>} page p -> changesets of p*interval+1 and on */
    this._pages = new Map();
    /** @type {Map<string, Promise<unknown>>} what is being fetched, by what it is */
    this._fetching = new Map();
    /** The document the last walk ended at. */
    this._last = null;
    /** Counts, for tests and the benchmark: what was fetched, how many changesets applied. */
    this.stats = { documents: 0, snapshots: 0, pages: 0, pools: 0, applied: 0 };
  }

  /**
   * The document at revision `rev`.
   * @param {number} rev a stored revision (0 to the head)
   * @returns {Promise<import('../changeset.js').AText>}
   * @throws {RangeError} if `rev` is not a revision number; the source's errors as they come
   */
  async atextAt(rev) {
    if (!Number.isInteger(rev) || rev < 0) throw new RangeError(`no revision ${rev}`);
    const held = this._held(rev);
    if (held !== null && held.rev === rev) return this._use(rev, held.atext);
    if (held === null) {
      // Nothing held within a page back: the document at `rev` itself is one request (the
      // server composes it from its own snapshots), where a snapshot and a page are two,
      // and twice the bytes. What is around it comes with `prefetch`.
      const body = await this._once(`atext ${rev}`, () => this.source.atext(rev));
      this.stats.documents++;
      return this.add(rev, body);
    }
    const { changesets, cited } = await this._pagesFor(held.rev + 1, rev);
    if (cited >= this.pool.nextNum) await this._fetchPool(rev);
    return this._walk(held.rev, held.atext, changesets);
  }

  /**
   * Hold the document of revision `rev` as it was fetched (`{atext, pool}`, the content
   * endpoint's answer): the first revision a timeslider shows comes so, beside the timeline.
   * @param {number} rev
   * @param {{atext: {text: string, attribs: string}, pool: object}} body
   * @returns {import('../changeset.js').AText} that document
   */
  add(rev, body) {
    this._takePool(body.pool);
    const atext = makeAText(body.atext.text, body.atext.attribs);
    this._keep(rev, atext);
    this._last = { rev, atext };
    return atext;
  }

  /**
   * Fetch (without computing) what composing `rev` needs: the snapshot of its checkpoint
   * (unless a document at most a page back is held) and the pages from there, so that a
   * later `atextAt(rev)`, and of any revision between, only computes.
   * @param {number} rev
   * @returns {Promise<void>} settles once fetched (errors are left to `atextAt`)
   */
  prefetch(rev) {
    if (!Number.isInteger(rev) || rev < 0) return Promise.resolve();
    const held = this._held(rev);
    if (held !== null && held.rev === rev) return Promise.resolve();
    const checkpoint = rev - (rev % this.interval);
    const from = held === null ? checkpoint : held.rev;
    return Promise.all([
      held === null ? this._snapshot(checkpoint) : null,
      this._pagesFor(from + 1, rev),
    ]).then(() => {}, () => {});
  }

  /**
   * Fetch every page up to revision `upto` and compute a snapshot at each page's end,
   * forward from revision 0 (the only snapshot fetched): afterwards every revision is at
   * most `stride` changesets from a document held. `pause()` is awaited between pages
   * (the widget yields to the page there, and stops the preload by throwing).
   * @param {number} upto
   * @param {() => Promise<void>} [pause]
   */
  async preload(upto, pause = async () => {}) {
    let atext = await this._snapshot(0);
    for (let start = 0; start < upto; start += this.interval) {
      const end = Math.min(start + this.interval, upto);
      const { changesets, cited } = await this._pagesFor(start + 1, end);
      if (cited >= this.pool.nextNum) await this._fetchPool(end);
      atext = this._walk(start, this._snapshots.get(start) ?? atext, changesets);
      if (end < upto) await pause();
    }
  }

  /** The newest document held at or before `rev`, at most a page back, or null. */
  _held(rev) {
    let best = null;
    const computed = this._computed.get(rev);
    if (computed !== undefined) return { rev, atext: computed };
    // playing forward: the last document shown is the nearest
    const last = this._last;
    if (last !== null && last.rev < rev && rev - last.rev < this.stride) return last;
    const checkpoint = rev - (rev % this.interval);
    const snapshot = this._snapshots.get(checkpoint);
    if (snapshot !== undefined) best = { rev: checkpoint, atext: snapshot };
    // the stride points between, newest first (computed ones sit on multiples of stride)
    const lowest = Math.max(best === null ? rev - this.interval : checkpoint + 1, 0);
    for (let at = rev - (rev % this.stride); at >= lowest; at -= this.stride) {
      const atext = this._computed.get(at) ?? this._snapshots.get(at);
      if (atext !== undefined) return { rev: at, atext };
    }
    return best;
  }

  _use(rev, atext) {
    if (this._computed.delete(rev)) this._computed.set(rev, atext);
    return atext;
  }

  _keep(rev, atext) {
    if (rev % this.interval === 0) {
      this._snapshots.set(rev, atext);
      return;
    }
    this._computed.delete(rev);
    this._computed.set(rev, atext);
    if (this._computed.size > this.maxComputed) this._computed.delete(this._computed.keys().next().value);
  }

  /** Apply `changesets` (revisions from+1 on) to `atext`, keeping what the walk passes. */
  _walk(from, atext, changesets) {
    let rev = from;
    for (const changeset of changesets) {
      atext = applyToAText(changeset, atext, this.pool);
      rev++;
      if (rev % this.stride === 0) this._keep(rev, atext);
    }
    this.stats.applied += changesets.length;
    this._keep(rev, atext);
    this._last = { rev, atext };
    return atext;
  }

  /** The snapshot at `checkpoint`: held, or fetched (with the pad's pool, if newer). */
  _snapshot(checkpoint) {
    const held = this._snapshots.get(checkpoint);
    if (held !== undefined) return Promise.resolve(held);
    return this._once(`snapshot ${checkpoint}`, async () => {
      const body = await this.source.atext(checkpoint);
      this.stats.snapshots++;
      this._takePool(body.pool);
      const atext = makeAText(body.atext.text, body.atext.attribs);
      this._snapshots.set(checkpoint, atext);
      return atext;
    });
  }

  /**
   * The changesets of revisions `first` to `last` (may span pages), fetched as needed, and
   * the highest attribute number they cite (-1 for none).
   * @returns {Promise<{changesets: string[], cited: number}>}
   */
  async _pagesFor(first, last) {
    if (last < first) return { changesets: [], cited: -1 };
    const firstPage = Math.floor((first - 1) / this.interval);
    const lastPage = Math.floor((last - 1) / this.interval);
    const wanted = [];
    for (let page = firstPage; page <= lastPage; page++) {
      const start = page * this.interval + 1;
      const upto = Math.min(last, start + this.interval - 1);
      wanted.push(this._page(page, upto - start + 1));
    }
    const pages = await Promise.all(wanted);
    const changesets = [];
    let cited = -1;
    pages.forEach((page, index) => {
      const start = (firstPage + index) * this.interval + 1;
      const from = Math.max(first, start) - start;
      const upto = Math.min(last, start + this.interval - 1) - start + 1;
      for (let i = from; i < upto; i++) changesets.push(page.changesets[i]);
      cited = Math.max(cited, page.cited);
    });
    return { changesets, cited };
  }

  /** Page `page` holding at least `count` changesets (the newest page may grow). */
  async _page(page, count) {
    const held = this._pages.get(page);
    if (held !== undefined && held.changesets.length >= count) return held;
    const got = await this._once(`page ${page} ${held?.changesets.length ?? 0}`, async () => {
      const have = this._pages.get(page) ?? { changesets: [], cited: -1 };
      const start = page * this.interval + 1 + have.changesets.length;
      const found = await this.source.revisions(start, this.interval - have.changesets.length);
      this.stats.pages++;
      const changesets = have.changesets.slice();
      let cited = have.cited;
      found.forEach((revision, index) => {
        if (revision.rev !== start + index) throw new RangeError(`asked for revision ${start + index}, got ${revision.rev}`);
        changesets.push(revision.changeset);
        cited = Math.max(cited, highestCited(revision.changeset));
      });
      const grown = { changesets, cited };
      this._pages.set(page, grown);
      return grown;
    });
    if (got.changesets.length < count) {
      const missing = page * this.interval + got.changesets.length + 1;
      throw new RangeError(`no revision ${missing}: the pad ends at ${missing - 1}`);
    }
    return got;
  }

  /** Fetch the pad's pool again (as of now: it resolves every revision up to `rev`). */
  async _fetchPool(rev) {
    const body = await this._once(`pool ${rev}`, () => this.source.atext(rev));
    this.stats.pools++;
    this._takePool(body.pool);
  }

  _takePool(json) {
    const pool = AttributePool.fromJsonable(json);
    if (pool.nextNum > this.pool.nextNum) this.pool = pool;
  }

  /** Run `fetch` once for `key` while it is under way; every caller gets its promise. */
  _once(key, fetch) {
    let promise = this._fetching.get(key);
    if (promise === undefined) {
      promise = fetch().finally(() => this._fetching.delete(key));
      this._fetching.set(key, promise);
    }
    return promise;
  }
}

/** The highest attribute number a changeset cites (in its ops, not its character bank). */
function highestCited(changeset) {
  let highest = -1;
  const ops = changeset.slice(0, changeset.indexOf('$'));
  for (const match of ops.matchAll(/\*([0-9a-z]+)/g)) highest = Math.max(highest, parseInt(match[1], 36));
  return highest;
}
