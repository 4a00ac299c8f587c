// The iframe-body editors' adapters (TinyMCE, CKEditor 4) without a browser: fillers are
// not read as text, remote writes go around the editor's undo history, and the editor's
// undo and redo commands reach the session. The editors are stand-ins with the few
// methods the adapters use; the browser tests run the real ones.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CKEditor4Adapter } from '../../adapters/ckeditor4.js';
import { EditorBodyAdapter } from '../../adapters/editor-body.js';
import { TinyMCEAdapter } from '../../adapters/tinymce.js';
import { JSDOM } from './jsdom_window.mjs';

function body(html) {
  const { window } = new JSDOM(`<body contenteditable="true">${html}</body>`);
  return window.document.body;
}

test("the editors' caret fillers are not read as text", () => {
  const adapter = new EditorBodyAdapter(body(
    '<p>one</p><p>a\uFEFF<strong>\u200Bb</strong>c</p><p>\uFEFF</p><p>two</p>',
  ));
  const first = adapter.read();
  assert.equal(first.toLines().map(([runs]) => runs.map(([text]) => text).join('')).join('|'), 'one|abc||two');
  assert.equal(first.toHTML(), '<p>one</p><p>a<strong>b</strong>c</p><p><br></p><p>two</p>');
  // a line without fillers is the parser's own object; a cleaned one is the same each read
  const second = adapter.read();
  assert.equal(second._lines[0], first._lines[0]);
  assert.equal(second._lines[1], first._lines[1]);
});

test('TinyMCE: remote writes are outside its undo, its undo and redo reach the session', () => {
  const element = body('<p>one</p>');
  const handlers = new Map();
  const calls = [];
  const editor = {
    getBody: () => element,
    undoManager: { ignore(action) { calls.push('ignore'); action(); } },
    on(name, handler) { handlers.set(name, handler); },
    off() {},
    dispatch(name) { calls.push(name); },
  };
  const adapter = new TinyMCEAdapter(editor);
  adapter.write('<p>one</p><p>two</p>', null);
  assert.equal(element.innerHTML, '<p>one</p><p>two</p>');
  assert.deepEqual(calls, ['ignore']);
  const history = [];
  adapter.bindUndo(() => history.push('undo'), () => history.push('redo'));
  assert.equal(editor.undoManager.hasUndo(), true);
  for (const command of ['Undo', 'Redo', 'Bold']) {
    let prevented = false;
    handlers.get('BeforeExecCommand')({ command, preventDefault() { prevented = true; } });
    assert.equal(prevented, command !== 'Bold');
  }
  assert.deepEqual(history, ['undo', 'redo']);
});

test('CKEditor 4: remote writes are between snapshot locks, a new body is followed', () => {
  let element = body('<p>one</p>');
  const listeners = new Map();
  const fired = [];
  const editor = {
    editable: () => ({ $: element }),
    execCommand() {},
    on(name, handler) {
      listeners.set(name, [...(listeners.get(name) ?? []), handler]);
      return { removeListener() {} };
    },
    fire(name) { fired.push(name); },
  };
  const adapter = new CKEditor4Adapter(editor);
  adapter.write('<p>one</p><p>two</p>', null);
  assert.deepEqual(fired, ['lockSnapshot', 'unlockSnapshot']);
  const history = [];
  adapter.bindUndo(() => history.push('undo'), () => history.push('redo'));
  for (const name of ['undo', 'redo', 'bold']) {
    let cancelled = false;
    for (const handler of listeners.get('beforeCommandExec')) handler({ data: { name }, cancel() { cancelled = true; } });
    assert.equal(cancelled, name !== 'bold');
  }
  assert.deepEqual(history, ['undo', 'redo']);
  // setData: a new body, which the adapter reads from then on
  element = body('<p>replaced</p>');
  for (const handler of listeners.get('contentDom')) handler();
  assert.equal(adapter.element, element);
  assert.equal(adapter.read().toLines().length, 1);
});

test('caret offsets leave the fillers out, as reading does', () => {
  // CKEditor 4 keeps its caret after seven U+200B while bold is on at a collapsed caret
  const filler = '\u200B'.repeat(7);
  const element = body(`<p>one</p><p>ab<strong>${filler}</strong>cd</p>`);
  const adapter = new EditorBodyAdapter(element);
  const text = adapter.read().toLines().map(([runs]) => runs.map(([t]) => t).join('')).join('\n');
  assert.equal(text, 'one\nabcd');
  const selection = element.ownerDocument.getSelection();
  const fillerText = element.querySelector('strong').firstChild;
  selection.collapse(fillerText, filler.length);
  assert.deepEqual(adapter.getSelection(), { start: 6, end: 6 }); // "one\nab|cd"
  const after = element.querySelector('strong').nextSibling;
  selection.collapse(after, 2);
  assert.deepEqual(adapter.getSelection(), { start: 8, end: 8 }); // the end: 8 units of 9
  // and back: the point at an offset is where reading puts that offset
  adapter.setSelection({ start: 7, end: 7 });
  assert.equal(selection.anchorNode.data.slice(0, selection.anchorOffset).replaceAll('\u200B', ''), 'c');
  adapter.setSelection({ start: 9, end: 9 }); // past the end: the end of the last line
  assert.deepEqual(adapter.getSelection(), { start: 8, end: 8 });
});
