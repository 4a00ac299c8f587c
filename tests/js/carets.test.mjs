// The caret layer's wiring, without a browser: which layer each kind of editor gets, where
// it goes, that it follows the session's carets and leaves with the session. (jsdom lays
// nothing out: the browser tests check where carets are drawn.)

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { TextareaAdapter } from '../../adapters/textarea.js';
import { FrameCarets, RangeCarets, TextareaCarets, safeColor, showCarets } from '../../client/js/carets.js';
import { Session } from '../../client/js/session.js';
import { JSDOM } from './jsdom_window.mjs';

function sessionOn(adapter) {
  return new Session(adapter, { server: 'http://127.0.0.1:1', pad: 'p' });
}

test('a textarea gets a mirror-measured layer beside it; it leaves with the session', () => {
  const { window } = new JSDOM('<main><label id="host"><textarea></textarea></label></main>');
  const textarea = window.document.querySelector('textarea');
  const session = sessionOn(new TextareaAdapter(textarea));
  const { layer } = showCarets(session);
  assert.ok(layer instanceof TextareaCarets);
  const host = window.document.getElementById('host');
  assert.equal(host.querySelectorAll(':scope > .pp-carets, :scope > .pp-mirror').length, 2);
  // the marks' looks come once per document, before the page's own style sheets
  showCarets(session).remove();
  assert.equal(window.document.head.querySelectorAll('style[data-policypad-carets]').length, 1);
  assert.equal(host.querySelectorAll('.pp-carets').length, 1);
  session.detach();
  assert.equal(host.querySelectorAll('.pp-carets, .pp-mirror').length, 0);
  // nothing is left listening to the session
  for (const event of ['carets', 'update', 'detach']) assert.equal(session._handlers.get(event)?.length ?? 0, 0);
});

test('a contenteditable gets a range layer; an editor in an iframe, one over the iframe', () => {
  const { window } = new JSDOM('<div id="pane"><div contenteditable="true"><p>x</p></div></div>'
    + '<div id="frame-host"><iframe></iframe></div>');
  const element = window.document.querySelector('[contenteditable]');
  const rich = showCarets(sessionOn(new ContentEditableAdapter(element)));
  assert.ok(rich.layer instanceof RangeCarets && !(rich.layer instanceof FrameCarets));
  assert.equal(rich.layer.layer.parentElement.id, 'pane');
  const frame = window.document.querySelector('iframe');
  const body = frame.contentDocument.body;
  body.setAttribute('contenteditable', 'true');
  const framed = showCarets(sessionOn(new ContentEditableAdapter(body)));
  assert.ok(framed.layer instanceof FrameCarets);
  assert.equal(framed.layer.editor, frame);
  assert.equal(framed.layer.layer.parentElement.id, 'frame-host');
  // a host of the page's choosing
  const chosen = window.document.createElement('section');
  window.document.body.append(chosen);
  const placed = showCarets(sessionOn(new ContentEditableAdapter(element)), { host: chosen });
  assert.equal(placed.layer.layer.parentElement, chosen);
});

test('the layer takes the carets the session gives, mapped by the session', async () => {
  const { window } = new JSDOM('<div><textarea></textarea></div>');
  const session = sessionOn(new TextareaAdapter(window.document.querySelector('textarea')));
  session.editorSelection = ({ start, end }) => ({ start: start - 1, end: end - 1 });
  const { layer } = showCarets(session);
  const carets = [{ clientId: 'c1', name: 'Ann', color: '#e6194b', start: 3, end: 5 }];
  session._emit('carets', carets);
  assert.equal(layer._carets, carets);
  assert.deepEqual(layer.inEditor(carets[0]), { ...carets[0], start: 2, end: 4 });
});

test('a color the page cannot use is replaced by a stable one', () => {
  assert.equal(safeColor('not a color; background: url(x)', 'a.1'), safeColor(undefined, 'a.1'));
  assert.match(safeColor(undefined, 'a.1'), /^hsl\(\d+ 65% 50%\)$/);
});
