// Drives sessions (client/js/policypad.js with the textarea and contenteditable
// adapters, on jsdom elements) against a real PolicyPad server. Run by
// tests/crosslang/test_js_client_live.py:
//
//   node --experimental-websocket tests/js/live_session.mjs ws-or-http://127.0.0.1:PORT TEXT_PAD RICH_PAD
//
// Prints one JSON line with what each editor ends up showing.

import { JSDOM } from 'jsdom';

import { attach } from '../../client/js/policypad.js';
import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { sleep, until } from './live_wait.mjs';

const [server, textPad, richPad] = process.argv.slice(2);

const { window } = new JSDOM('<textarea id="a"></textarea><textarea id="b"></textarea>'
  + '<div id="ra" contenteditable="true"></div><div id="rb" contenteditable="true"></div>'
  + '<div id="first" contenteditable="true"><h2>Existing policy</h2><p>Kept <b>as is</b>.</p></div>'
  + '<div id="second" contenteditable="true"><p>Another draft</p></div>');
const $ = (id) => window.document.getElementById(id);

/** Type `text` into a textarea at `position`, as a user would (value change + input). */
function type(textarea, position, text) {
  const value = textarea.value;
  textarea.value = value.slice(0, position) + text + value.slice(position);
  textarea.dispatchEvent(new window.Event('input'));
}

const a = await attach($('a'), { server, pad: textPad, name: 'A' });
const b = await attach($('b'), { server, pad: textPad, name: 'B' });
type($('a'), 0, 'AAA ');
type($('b'), $('b').value.length, ' BBB');
await until(() => a.connection.ot.synchronized && b.connection.ot.synchronized
  && $('a').value === $('b').value && $('a').value.includes('AAA') && $('a').value.includes('BBB'));
const converged = $('a').value;
a.undo();
await until(() => !$('b').value.includes('AAA'));
await until(() => a.connection.ot.synchronized);
const afterUndo = [$('a').value, $('b').value];
a.redo();
await until(() => $('b').value.includes('AAA'));
const afterRedo = $('b').value;

// an adapter that misplaces the caret must not stop remote changes from showing
const getSelection = a.adapter.getSelection.bind(a.adapter);
a.adapter.getSelection = () => ({ start: 99_999, end: 99_999 });
type($('b'), 0, 'R');
await until(() => $('a').value.startsWith('R'));
a.adapter.getSelection = getSelection;
type($('a'), $('a').value.length, 'Z');
await until(() => $('b').value.endsWith('Z') && a.connection.ot.synchronized);
const recovered = $('a').value === $('b').value;

const ra = await attach($('ra'), { server, pad: richPad, adapter: new ContentEditableAdapter($('ra')) });
const rb = await attach($('rb'), { server, pad: richPad, adapter: new ContentEditableAdapter($('rb')) });
const firstParagraph = $('ra').querySelector('p');
firstParagraph.innerHTML = 'Hello <strong>bold</strong> world';
await sleep(20);
await until(() => $('rb').innerHTML.includes('<strong>bold</strong>'));
const untouched = $('rb').lastElementChild;
const heading = window.document.createElement('h2');
heading.textContent = 'Added';
$('rb').insertBefore(heading, $('rb').firstChild);
await until(() => $('ra').querySelector('h2')?.textContent === 'Added');
// a pad that does not exist: refused without `create`; with it, made from the editor's
// content by the first join, and joined as it is (never overwritten) by the next
// (jsdom has no isContentEditable: the adapters are named)
const to = (id, options) => attach(null, { adapter: new ContentEditableAdapter($(id)), server, pad: `${richPad}-new`, ...options });
const missing = await to('second', {}).catch((error) => error);
const first = await to('first', { create: true, seed: 'editor' });
const second = await to('second', { create: true, seed: 'editor' });
await until(() => first.status === 'saved' && second.status === 'saved');
const created = { refused: missing.code, first: $('first').innerHTML, second: $('second').innerHTML };
for (const session of [first, second]) session.detach();

console.log(JSON.stringify({
  created,
  converged,
  afterUndo,
  afterRedo,
  recovered,
  richA: $('ra').innerHTML,
  richB: $('rb').innerHTML,
  untouchedKept: $('rb').lastElementChild === untouched,
  statuses: [a.status, b.status],
}));
for (const session of [a, b, ra, rb]) session.detach();
