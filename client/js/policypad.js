// PolicyPad in the browser, as ES modules (no build step, no import map):
//
//   import { attach } from 'https://pads.example.com/static/client/js/policypad.js';
//   const session = await attach(textarea, {server, pad, token});
//
// `attach` takes a textarea or a contenteditable element as it is; any other editor through
// its adapter (`attach(new TinyMCEAdapter(editor), options)`, from /static/adapters/). See
// attach.js for the options; the bundles in bundles/ expose the same `attach`.

import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { TextareaAdapter } from '../../adapters/textarea.js';
import { attacher } from './attach.js';

/**
 * Attach `target` (a textarea, a contenteditable element, or an adapter) to a pad.
 * @type {(target: unknown, options: import('./attach.js').AttachOptions) => Promise<import('./session.js').Session>}
 */
export const attach = attacher([TextareaAdapter, ContentEditableAdapter]);

export { showCarets } from './carets.js';
export { PolicyPadError } from './connection.js';
export { Session } from './session.js';
export const PolicyPad = { attach };
