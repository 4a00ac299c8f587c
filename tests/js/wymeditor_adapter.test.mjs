// The WYMeditor adapter without a browser: its spacer brs never reach the model, and its
// Undo and Redo commands reach the session while every other command still runs. The
// editor is a stand-in with the few members the adapter uses; the browser tests
// (tests/browser/test_wymeditor.py) run the real WYMeditor.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { WymeditorAdapter } from '../../adapters/wymeditor.js';
import { JSDOM } from './jsdom_window.mjs';

const SPACER = '<br class="wym-blocking-element-spacer wym-editor-only">';

function standIn(html) {
  const { window } = new JSDOM(`<body class="wym_iframe">${html}</body>`);
  const ran = [];
  const wym = {
    _doc: window.document,
    _iframe: null,
    xhtml: () => window.document.body.innerHTML,
    exec(command) { ran.push(command); },
    spaceBlockingElements() { window.document.body.insertAdjacentHTML('afterbegin', SPACER); },
  };
  return { wym, ran, body: window.document.body };
}

test('WYMeditor: the editable root is its body, without its spacer brs', () => {
  const { wym, body } = standIn(`${SPACER}<table><tr><td>a</td></tr></table>${SPACER}<p>b</p>`);
  assert.equal(WymeditorAdapter.accepts(wym), true);
  assert.equal(WymeditorAdapter.accepts(body), false);
  const adapter = new WymeditorAdapter(wym);
  assert.equal(adapter.element, body);
  assert.equal(body.querySelectorAll('br').length, 0);
  // what WYMeditor runs after its commands no longer adds them
  wym.spaceBlockingElements();
  assert.equal(body.querySelectorAll('br').length, 0);
  assert.equal(adapter.read().text, 'a\nb\n');
});

test('WYMeditor: its Undo and Redo run the session history, other commands run as before', () => {
  const { wym, ran } = standIn('<p>one</p>');
  const adapter = new WymeditorAdapter(wym);
  const history = [];
  adapter.bindUndo(() => history.push('undo'), () => history.push('redo'));
  for (const command of ['Undo', 'Bold', 'Redo', 'InsertUnorderedList']) wym.exec(command);
  assert.deepEqual(history, ['undo', 'redo']);
  assert.deepEqual(ran, ['Bold', 'InsertUnorderedList']);
});
