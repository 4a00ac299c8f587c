// `attach`, as the bundles and policypad.js give it: what it binds (an element its adapters
// take, or an adapter the page made), what it refuses, and the carets it draws unless told
// not to. A scripted socket stands in for the server.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { TextareaAdapter } from '../../adapters/textarea.js';
import { attacher } from '../../client/js/attach.js';
import { attach } from '../../client/js/policypad.js';
import { JSDOM } from './jsdom_window.mjs';
import { scriptedSockets } from './scripted_socket.mjs';

/** Attach, letting the scripted server in with `text`; resolves with the session. */
async function attached(attachTo, target, text, options = {}) {
  const { Socket, sockets } = scriptedSockets();
  const session = attachTo(target, { server: 'http://pads.test', pad: 'p', WebSocket: Socket, ...options });
  while (sockets[0]?.sent.length !== 1) await new Promise((resolve) => { setTimeout(resolve, 0); });
  sockets[0].joined(1, text);
  return session;
}

test('a textarea is bound through its adapter, and shows the pad, carets over it', async () => {
  const { window } = new JSDOM('<label><textarea>old</textarea></label>');
  const textarea = window.document.querySelector('textarea');
  const session = await attached(attach, textarea, 'from the pad\n');
  assert.ok(session.adapter instanceof TextareaAdapter);
  assert.equal(textarea.value, 'from the pad');
  assert.equal(window.document.querySelectorAll('label > .pp-carets').length, 1);
  session.detach();
  assert.equal(window.document.querySelectorAll('.pp-carets').length, 0);
});

test('an adapter made by the page is used as it is; carets: false draws none', async () => {
  // jsdom has no isContentEditable: only an adapter the page makes can bind this element
  const { window } = new JSDOM('<div contenteditable="true"><p>old</p></div>');
  const element = window.document.querySelector('div');
  const adapter = new ContentEditableAdapter(element);
  const session = await attached(attach, adapter, 'rich\n', { carets: false });
  assert.equal(session.adapter, adapter);
  assert.equal(element.innerHTML, '<p>rich</p>');
  assert.equal(window.document.querySelectorAll('.pp-carets').length, 0);
  session.detach();
});

test("a target none of the bundle's adapters take is refused, naming them", async () => {
  const { window } = new JSDOM('<div contenteditable="true"></div>');
  const onlyTextareas = attacher([TextareaAdapter]);
  await assert.rejects(
    onlyTextareas(window.document.querySelector('div'), { server: 'http://pads.test', pad: 'p' }),
    (error) => error instanceof TypeError && /TextareaAdapter/.test(error.message),
  );
});
