// The shared diff cases (tests/vectors/diffs.json, written from the Python twin): the
// JavaScript diff must give the same merged lines and the same HTML for each, both views
// must give the revisions back, and parsing the case's HTML must give its lines.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Document, acceptLines, diffHtml, diffLines, rejectLines } from '../../client/js/document.js';
import { renderLines } from '../../client/js/document/render.js';
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

test('marks render only from the model, and safely', () => {
  // Render trusts no mark: an unknown `diff` value writes nothing, `diff-before` that is not
  // JSON of strings counts as empty, unsafe names and links are left out, all is escaped.
  const hostile = [
    [[['a', { diff: '"><script>alert(1)</script>' }]], { diff: 'x onmouseover=alert(1)' }],
    [[['b', { diff: 'format', 'diff-before': 'not json' }]], {}],
    [
      [['c', { diff: 'format', 'diff-before': '{"@onclick":"x","link":"javascript:x","class":"\\"><i>"}' }]],
      { diff: 'block', 'diff-before': '{"heading":"\\"><script>","@onload":"y"}' },
    ],
  ];
  const html = renderLines(hostile);
  for (const bad of ['<script', 'onmouseover', 'onclick', 'javascript', 'onload']) assert.ok(!html.includes(bad), bad);
  assert.ok(html.startsWith('<p>a</p><p>'));
  assert.ok(html.includes('data-pp-before="{}"'));
  assert.ok(html.includes('&quot;&gt;&lt;i&gt;') && html.includes('&quot;&gt;&lt;script&gt;'));
});
