// The CKEditor 5 adapter's one editor-free part: cutting the client's rendering into its
// top-level elements (what `write` compares block by block).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { splitTopLevel } from '../../adapters/ckeditor5.js';
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
