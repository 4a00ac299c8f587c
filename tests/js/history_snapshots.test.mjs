// The timeslider's data: the document at any revision from snapshots and pages of
// changesets composed forward (client/js/history/snapshots.js), against a fake server that
// holds a random history and answers as the REST API does; and the timeline's arithmetic
// (client/js/history/timeline.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { AttributePool, applyToAText, makeAText, makeSplice } from '../../client/js/changeset.js';
import { SnapshotCache } from '../../client/js/history/snapshots.js';
import { Timeline } from '../../client/js/history/timeline.js';

/** A pad's history on a fake server: random typing and deleting by a few authors, bold now and then. */
class FakePad {
  constructor(seed, revisions) {
    let state = seed;
    const random = (n) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    this.pool = new AttributePool();
    this.atexts = [makeAText('\n')];
    this.changesets = [null];
    this.requests = [];
    for (let rev = 1; rev <= revisions; rev++) this.add(random);
  }

  get head() {
    return this.atexts.length - 1;
  }

  /** Store one more revision; its authors (and so the pool) grow along the history. */
  add(random) {
    const atext = this.atexts[this.head];
    const length = atext.text.length - 1;
    const start = random(length + 1);
    const removed = length > 0 && random(3) === 0 ? Math.min(random(4), length - start) : 0;
    const author = `a.user${Math.floor(this.head / 40) + random(2)}`;
    const attribs = [['author', author]];
    if (random(5) === 0) attribs.push(['bold', 'true']);
    const inserted = random(6) === 0 ? 'line\n' : 'abc'.slice(random(3));
    const changeset = makeSplice(atext.text, start, removed, inserted, attribs, this.pool);
    this.changesets.push(changeset);
    this.atexts.push(applyToAText(changeset, atext, this.pool));
  }

  /** What the cache fetches through: the REST API's answers, counted. */
  source() {
    return {
      atext: async (rev) => {
        this.requests.push(`atext ${rev}`);
        await Promise.resolve();
        if (rev > this.head) throw new Error(`revision_not_found: no revision ${rev}`);
        const atext = this.atexts[rev];
        return { atext: { text: atext.text, attribs: atext.attribs }, pool: this.pool.toJsonable() };
      },
      revisions: async (since, limit) => {
        this.requests.push(`revisions ${since} ${limit}`);
        await Promise.resolve();
        const out = [];
        for (let rev = since; rev <= this.head && out.length < limit; rev++) {
          out.push({ rev, changeset: this.changesets[rev], author: 'a.x', time: rev });
        }
        return out;
      },
    };
  }
}

function same(actual, expected) {
  assert.equal(actual.text, expected.text);
  assert.equal(actual.attribs, expected.attribs);
}

test('every revision, visited in any order, is the document the server holds', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), async (seed, picks) => {
      const pad = new FakePad(seed, 230);
      const cache = new SnapshotCache(pad.source(), { interval: 50, stride: 7 });
      for (const pick of picks) {
        const rev = pick % (pad.head + 1);
        same(await cache.atextAt(rev), pad.atexts[rev]);
      }
    }),
    { numRuns: 40 },
  );
});

test('a jump fetches that document; then its snapshot and page come, and nearby moves only compute', async () => {
  const pad = new FakePad(7, 3000);
  const cache = new SnapshotCache(pad.source(), { interval: 1000, stride: 50 });
  same(await cache.atextAt(2345), pad.atexts[2345]);
  assert.deepEqual(pad.requests, ['atext 2345']);
  // what the widget asks for once the user stops: around the revision, both ways
  await Promise.all([cache.prefetch(2145), cache.prefetch(2545)]);
  assert.deepEqual(pad.requests.sort(), ['atext 2000', 'atext 2345', 'revisions 2001 1000']);
  same(await cache.atextAt(2344), pad.atexts[2344]);
  assert.equal(cache.stats.applied, 344);
  // stepping back again starts from a document kept on the way, not from the snapshot
  same(await cache.atextAt(2343), pad.atexts[2343]);
  assert.ok(cache.stats.applied - 344 < 50, `${cache.stats.applied - 344} applied`);
  for (let rev = 2340; rev <= 2400; rev++) same(await cache.atextAt(rev), pad.atexts[rev]);
  // the page's end: from a document kept on the way and the page held
  same(await cache.atextAt(3000), pad.atexts[3000]);
  assert.equal(pad.requests.length, 3);
});

test('callers waiting on one revision share its fetches', async () => {
  const pad = new FakePad(11, 1500);
  const cache = new SnapshotCache(pad.source(), { interval: 1000 });
  const atexts = await Promise.all([1100, 1100, 1100].map((rev) => cache.atextAt(rev)));
  atexts.forEach((atext) => same(atext, pad.atexts[1100]));
  assert.deepEqual(pad.requests, ['atext 1100']);
  // from the document held, the page after it is all that is needed, once
  await Promise.all([cache.prefetch(1499), cache.prefetch(1300), cache.prefetch(1200)]);
  for (const rev of [1200, 1499, 1300, 1101]) same(await cache.atextAt(rev), pad.atexts[rev]);
  assert.deepEqual(pad.requests, ['atext 1100', 'revisions 1001 1000']);
});

test('revisions stored after the first fetch: the page grows and the pool is fetched again', async () => {
  const pad = new FakePad(3, 120);
  const cache = new SnapshotCache(pad.source(), { interval: 100, stride: 10 });
  await cache.prefetch(pad.head);
  same(await cache.atextAt(pad.head), pad.atexts[pad.head]);
  assert.deepEqual(pad.requests, ['atext 100', 'revisions 101 100']);
  const poolBefore = cache.pool.nextNum;
  // new authors arrive (numbers the cache's pool does not hold yet)
  let state = 99;
  const random = (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  while (pad.pool.nextNum === poolBefore) pad.add(random);
  for (let i = 0; i < 30; i++) pad.add(random);
  pad.requests.length = 0;
  same(await cache.atextAt(pad.head), pad.atexts[pad.head]);
  assert.ok(cache.pool.nextNum > poolBefore);
  assert.ok(cache.stats.pools >= 1);
  // what was held is not fetched again: only the revisions after it
  assert.equal(pad.requests[0], 'revisions 121 80');
  assert.ok(pad.requests.slice(1).every((request) => request.startsWith('atext ')), pad.requests.join(', '));
});

test('preloaded, every revision is a few changesets from a document held, with nothing to fetch', async () => {
  const pad = new FakePad(13, 2500);
  const cache = new SnapshotCache(pad.source(), { interval: 1000, stride: 50 });
  // the first revision shown came with the timeline
  const head = await pad.source().atext(pad.head);
  cache.add(pad.head, head);
  same(await cache.atextAt(pad.head), pad.atexts[pad.head]);
  pad.requests.length = 0;
  let pauses = 0;
  await cache.preload(pad.head, async () => {
    pauses++;
  });
  assert.equal(pauses, 2);
  // one snapshot (revision 0) and the pages, each once, in order
  assert.deepEqual(pad.requests, ['atext 0', 'revisions 1 1000', 'revisions 1001 1000', 'revisions 2001 1000']);
  pad.requests.length = 0;
  let state = 5;
  for (let i = 0; i < 200; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const rev = state % (pad.head + 1);
    const applied = cache.stats.applied;
    same(await cache.atextAt(rev), pad.atexts[rev]);
    assert.ok(cache.stats.applied - applied < 50, `revision ${rev}: ${cache.stats.applied - applied} applied`);
  }
  assert.deepEqual(pad.requests, []);
});

test('a revision past the head is refused', async () => {
  const pad = new FakePad(5, 30);
  const cache = new SnapshotCache(pad.source(), { interval: 100 });
  same(await cache.atextAt(30), pad.atexts[30]);
  await assert.rejects(cache.atextAt(31), RangeError);
  await assert.rejects(cache.atextAt(-1), RangeError);
  await assert.rejects(cache.atextAt(1.5), RangeError);
});

test('the timeline: times from deltas, the revision at a time, authors, growth', () => {
  const timeline = new Timeline({
    head: 4, authors: ['a.api', 'a.ann'], start: 1000, times: [0, 10, 0, 5, 100], by: [0, 1, 1, 0, 1],
  });
  assert.equal(timeline.head, 4);
  assert.deepEqual([0, 1, 2, 3, 4].map((rev) => timeline.timeOf(rev)), [1000, 1010, 1010, 1015, 1115]);
  assert.deepEqual([0, 1, 2, 3, 4].map((rev) => timeline.authorOf(rev)), ['a.api', 'a.ann', 'a.ann', 'a.api', 'a.ann']);
  // the newest revision stored at or before a time; before the first, the first
  assert.deepEqual([999, 1000, 1009, 1010, 1014, 1015, 1114, 1115, 5000].map((t) => timeline.revisionAt(t)),
    [0, 0, 0, 2, 2, 3, 3, 4, 4]);
  const added = timeline.extend([
    { rev: 4, author: 'a.ann', time: 1115 },
    ...Array.from({ length: 40 }, (_, i) => ({ rev: 5 + i, author: i % 2 ? 'a.bob' : 'a.ann', time: 2000 + i })),
  ]);
  assert.equal(added, 40);
  assert.equal(timeline.head, 44);
  assert.equal(timeline.authorOf(6), 'a.bob');
  assert.deepEqual(timeline.authors, ['a.api', 'a.ann', 'a.bob']);
  assert.equal(timeline.revisionAt(2010.5), 15);
  assert.throws(() => timeline.extend([{ rev: 46, author: 'a.ann', time: 3000 }]), RangeError);
  assert.throws(() => timeline.timeOf(45), RangeError);
  assert.throws(() => new Timeline({ head: 1, authors: [], start: 0, times: [0], by: [0] }), TypeError);
});
