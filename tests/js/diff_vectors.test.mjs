// The shared diff cases (tests/vectors/diffs.json, written from the Python twin): the
// JavaScript diff must give the same merged lines and the same HTML for each, both views
// must give the revisions back, and parsing the case's HTML must give its lines.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Document, acceptLines, diffHtml, diffLines, rejectLines } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';

const { cases } = JSON.parse(readFileSync(new URL('../vectors/diffs.json', import.meta.url), 'utf8'));

test('the shared diff vectors are there', () => {
  assert.ok(cases.length >= 60);
});

for (const c of cases) {
  test(`diff vector: ${c.name}`, () => {
    const options = { ...(c.options ?? {}), window };
    assert.deepEqual(Document.fromHTML(c.oldHtml, options).toLines(), c.old, 'old lines');
    assert.deepEqual(Document.fromHTML(c.newHtml, options).toLines(), c.new, 'new lines');
    const merged = diffLines(c.old, c.new);
    assert.deepEqual(merged, c.expect.merged, 'merged lines');
    assert.equal(diffHtml(c.old, c.new), c.expect.html, 'html');
    assert.deepEqual(acceptLines(merged), c.new, 'accept');
    assert.deepEqual(rejectLines(merged), c.old, 'reject');
  });
}
