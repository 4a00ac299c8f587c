// Host-allowed attributes in the JavaScript twin: kept, rendered, refused when unsafe.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Document, Schema } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';

test('host-allowed attributes round-trip; unsafe names are refused', () => {
  const options = { attributes: ['title', 'data-ref'], window };
  const doc = Document.fromHTML('<p title="t">a <span data-ref="r" onclick="x">b</span></p>', options);
  assert.equal(doc.toHTML(), '<p title="t">a <span data-ref="r">b</span></p>');
  assert.deepEqual(Document.fromHTML(doc.toHTML(), options).toLines(), doc.toLines());
  for (const unsafe of ['onclick', 'href', 'style', 'src', 'Title', 'data-author']) {
    assert.throws(() => new Schema({ attributes: [unsafe] }), /cannot be allowed/);
  }
});

test('render checks attribute names an AText holds', () => {
  const doc = Document.fromLines([[[['x', { '@onclick': 'alert(1)', '@title': 'ok' }]], { '@onmouseover': 'y' }]]);
  assert.equal(doc.toHTML(), '<p><span title="ok">x</span></p>');
});
