// A parse notes what it dropped that a browser shows or runs (Document.residue): the
// session then writes the model back into the editor that holds it. It must see every
// hostile thing a paste can leave in an editor, and nothing in what editors write on their
// own (or every keystroke would rewrite the block typed in).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { BlockParser, Document } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';

const HOSTILE = [
  '<a href="javascript:alert(1)">x</a>',
  '<a href=" java\tscript:alert(1)">x</a>',
  '<a href="data:text/html,x">x</a>',
  '<a href="file:///etc/passwd">x</a>',
  '<a href="https://ok.example/" data-cke-saved-href="javascript:alert(1)">x</a>',
  '<b onmouseover="alert(1)">x</b>',
  '<img src="https://ok.example/a.png" onerror="alert(1)">',
  '<img src="javascript:alert(1)" alt="a">',
  '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a">',
  '<img src="https://ok.example/a.png" srcset="https://evil.example/b.png 2x">',
  '<script>alert(1)</script>',
  '<iframe src="https://evil.example/"></iframe>',
  '<svg onload="alert(1)"><circle r="1"></circle></svg>',
  '<math><mi>x</mi></math>',
  '<object data="x.swf"></object>',
  '<input value="v" autofocus>',
  '<span style="background: url(https://evil.example/track.png)">x</span>',
];

for (const hostile of HOSTILE) {
  test(`residue: ${hostile}`, () => {
    const doc = Document.fromHTML(`<p>before ${hostile} after</p>`, { window });
    assert.equal(doc.residue, true);
    // what the model renders of it holds nothing of the kind
    assert.equal(Document.fromHTML(doc.toHTML(), { window }).residue, false);
  });
}

test('a paragraph inside a paragraph (WYMeditor\'s paste into an empty editor) is residue', () => {
  const body = window.document.createElement('div');
  const outer = window.document.createElement('p');
  outer.innerHTML = '<p>pasted</p>';
  body.append(outer);
  assert.equal(Document.fromHTML(body).residue, true);
});

test('a data image the host allows is no residue', () => {
  const doc = Document.fromHTML('<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="a"></p>', {
    window, allowDataImages: true,
  });
  assert.equal(doc.residue, false);
});

test('what editors write on their own, and Word, is no residue', () => {
  const { cases } = JSON.parse(readFileSync(new URL('../vectors/documents.json', import.meta.url), 'utf8'));
  // the cases that hold something hostile on purpose (their names say what is dropped)
  const ACTIVE = /java\s*script|vbscript|data:|on[a-z]+=|<script|<iframe|<svg|<math|<object|<embed|<input|<button|<select|<textarea|<noscript|expression\(|url\(/i;
  let checked = 0;
  for (const { name, html } of cases) {
    if (ACTIVE.test(html)) continue;
    assert.equal(Document.fromHTML(html, { window }).residue, false, name);
    checked += 1;
  }
  assert.ok(checked > 120, `${checked} documents`);
});

test('an incremental parse notes residue while a block holds it, and forgets it once replaced', () => {
  const root = window.document.createElement('div');
  root.innerHTML = '<p>one</p><p>two <a href="javascript:alert(1)">x</a></p>';
  const parser = new BlockParser(root);
  parser.observe();
  parser.parseLines();
  assert.equal(parser.residue, true);
  root.children[1].replaceWith(Object.assign(window.document.createElement('p'), { textContent: 'two x' }));
  parser.parseLines();
  assert.equal(parser.residue, false);
  parser.disconnect();
});
