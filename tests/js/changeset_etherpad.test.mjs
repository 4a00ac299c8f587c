// Etherpad's own answers (tests/vectors/etherpad_engine.json), met by the JavaScript
// engine. Etherpad's Changeset module answered these seeded cases
// (tests/vectors/generate_etherpad.py records how); the Python suite checks the same
// file. deepStrictEqual on JSON data compares changesets, attribs and pools exactly.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { runCase } from './vector_runner.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const recorded = JSON.parse(readFileSync(resolve(here, '../vectors/etherpad_engine.json'), 'utf8'));

test('the answers name their source and cover each operation', () => {
  assert.equal(recorded.etherpad.repository, 'https://github.com/ether/etherpad-lite');
  assert.match(recorded.etherpad.commit, /^[0-9a-f]{40}$/);
  const counts = {};
  for (const c of recorded.cases) counts[c.op] = (counts[c.op] ?? 0) + 1;
  assert.ok(counts.make_splice >= 500 && counts.character_range_follow >= 500);
});

// one subtest per operation, naming the cases that differ: 2,850 subtests would bury them
const byOp = new Map();
for (const c of recorded.cases) {
  if (!byOp.has(c.op)) byOp.set(c.op, []);
  byOp.get(c.op).push(c);
}
for (const [op, cases] of byOp) {
  test(`Etherpad's ${op}`, () => {
    const differing = cases.filter((c) => !isDeepStrictEqual(runCase(c), c.expect));
    assert.deepEqual(differing.map((c) => c.name), []);
  });
}
