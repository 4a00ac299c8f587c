// `attach(target, options)`: the one call a page makes, in every bundle and in policypad.js.
//
//   const session = await attach(editor, {server, pad, token, create: true, seed: 'editor'});
//
// `target` is the editor as the page has it (a textarea, a contenteditable element, an
// initialized TinyMCE, CKEditor 4 or CKEditor 5 editor, a WYMeditor instance: whichever
// the bundle's adapter takes), or an adapter made by the page (`new TinyMCEAdapter(editor)`:
// the ES-module way to any editor). Other users' carets are drawn over the editor unless
// `carets: false` (see carets.js).

import { showCarets } from './carets.js';
import { Session } from './session.js';

/**
 * @typedef {object} AttachOptions what Session takes (server, pad, token, name, color,
 *   create, seed, authors; see session.js), and:
 * @property {boolean|{host?: HTMLElement}} [carets] draw other users' carets (default
 *   true; an object: showCarets' options)
 * @property {object} [adapter] the adapter to use, whatever `target` is
 */

/**
 * Make the `attach` of a bundle (or of policypad.js) that knows these adapter classes.
 * @param {Array<{accepts: (target: unknown) => boolean, name: string}>} adapters
 * @returns {(target: unknown, options: AttachOptions) => Promise<Session>}
 */
export function attacher(adapters) {
  /**
   * Bind `target` to a pad; resolves with the started session once the editor shows the
   * pad. Rejects with a PolicyPadError (`code`) if the server refuses the join, and with a
   * TypeError if no adapter takes `target`.
   */
  return async function attach(target, options) {
    const adapter = options.adapter ?? adapterFor(target, adapters);
    const session = await new Session(adapter, options).start();
    if (options.carets !== false) showCarets(session, typeof options.carets === 'object' ? options.carets : {});
    return session;
  };
}

/** An adapter for `target`: itself if it is one, else one of `adapters` that takes it. */
function adapterFor(target, adapters) {
  if (isAdapter(target)) return target;
  const Adapter = adapters.find((candidate) => candidate.accepts(target));
  if (Adapter === undefined) {
    const names = adapters.map((candidate) => candidate.name).join(', ');
    throw new TypeError(`attach: this target is for none of ${names}: pass an editor they take, or an adapter`);
  }
  return new Adapter(target);
}

/** Whether `target` is an adapter already (what one has: see adapters/textarea.js, the smallest). */
function isAdapter(target) {
  return typeof target?.read === 'function' && typeof target?.write === 'function'
    && typeof target?.observe === 'function' && typeof target?.kind === 'string';
}
