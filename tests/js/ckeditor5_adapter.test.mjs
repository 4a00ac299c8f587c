// The CKEditor 5 adapter's editor-free parts: cutting the client's rendering into its
// top-level elements (what `write` compares block by block), and into lines of characters
// with their inline markup (what its fast path compares line by line).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { inlineLinesOf, splitTopLevel } from '../../adapters/ckeditor5.js';
import { Document } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';

test('the rendering splits into its top-level elements, and they join back to it', () => {
  const source = '<h1>T &lt;p&gt;</h1><p>a<br>b <img src="https://example.org/x.png" alt="&quot;>"></p>'
    + '<ul><li>x<ul><li>y</li></ul></li></ul><p><br></p>'
    + '<table><tbody><tr><td><p>c</p></td></tr></tbody></table><blockquote><p>q</p></blockquote><hr>';
  const html = Document.fromHTML(source, { window }).toHTML();
  const pieces = splitTopLevel(html);
  assert.equal(pieces.join(''), html);
  const names = pieces.map((piece) => /^<([a-z0-9]+)/.exec(piece)[1]);
  assert.deepEqual(names.slice(0, 6), ['h1', 'p', 'ul', 'p', 'table', 'blockquote']);
  for (const piece of pieces) {
    const holder = window.document.createElement('div');
    holder.innerHTML = piece;
    assert.equal(holder.children.length, 1, piece);
  }
});

test('the rendering cuts into lines of characters, each with the inline markup around it', () => {
  const html = '<p>a <strong>b&amp;<em>c</em></strong><br>d<br><br></p>'
    + '<ul><li>x<ul><li>y</li></ul></li></ul><table><tbody><tr><td><p>c</p></td><td><p><br></p></td></tr></tbody></table>';
  const { skeleton, lines } = inlineLinesOf(html);
  assert.equal(skeleton, '<p></p><ul><li><ul><li></li></ul></li></ul>'
    + '<table><tbody><tr><td><p></p></td><td><p></p></td></tr></tbody></table>');
  assert.deepEqual(lines.map((line) => line.units.map(([character]) => character).join('')),
    ['a b&c\uFFFCd\uFFFC', 'x', 'y', 'c', '']);
  assert.deepEqual(lines[0].units.slice(0, 5).map(([, marks]) => marks),
    ['', '', '<strong>', '<strong>', '<strong><em>']);
  assert.equal(lines[0].html, 'a <strong>b&amp;<em>c</em></strong><br>d<br><br>');
  // what it cannot follow: a rule, mis-nested or stray markup, an unknown entity
  for (const bad of ['<hr>', '<p><strong>a<em>b</strong></em></p>', '<p>a < b</p>', '<p>&bogus;</p>']) {
    assert.equal(inlineLinesOf(bad), null, bad);
  }
  // a character outside the BMP is two units, as in CKEditor's model
  assert.equal(inlineLinesOf('<p>\u{1F600}</p>').lines[0].units.length, 2);
});
