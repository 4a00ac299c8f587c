// PolicyPad in the browser: `PolicyPad.attach(target, {server, pad, token, name, color})`
// binds an editor to a pad and returns its session.

import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { TextareaAdapter } from '../../adapters/textarea.js';
import { Session } from './session.js';

const ADAPTERS = [TextareaAdapter, ContentEditableAdapter];

/**
 * Attach `target` (a textarea, a contenteditable element, or an adapter instance) to a pad.
 * @param {HTMLElement|object} target
 * @param {{server: string, pad: string, token?: string, name?: string, color?: string,
 *   adapter?: object}} options
 * @returns {Promise<Session>} the started session (`on`, `status`, `users`, `sendChat`, `detach`)
 */
export async function attach(target, options) {
  let adapter = options.adapter ?? null;
  if (adapter === null) {
    const Adapter = ADAPTERS.find((candidate) => candidate.accepts(target));
    if (Adapter === undefined) throw new TypeError('no adapter for this element: pass options.adapter');
    adapter = new Adapter(target);
  }
  return new Session(adapter, options).start();
}

export { Session } from './session.js';
export const PolicyPad = { attach };
