// Entry point of the classic-script bundle for a <textarea> (`npm run build` writes
// client/dist/policypad-textarea.js, served at /static/bundles/policypad-textarea.js):
//
//   <script src="/static/bundles/policypad-textarea.js"></script>
//   <script>PolicyPad.attach(textarea, {server: location.origin, pad: 'my-pad'})</script>
//
// The bundle holds the client and diff-match-patch; it exposes window.PolicyPad.

import { TextareaAdapter } from '../adapters/textarea.js';
import { Session } from '../client/js/session.js';

/**
 * Bind a textarea to a pad; resolves with the started session (see client/js/session.js).
 * @param {HTMLTextAreaElement} target
 * @param {object} options {server, pad, token?, name?, color?}
 */
export function attach(target, options) {
  const adapter = options.adapter ?? new TextareaAdapter(target);
  return new Session(adapter, options).start();
}

export { Session, TextareaAdapter };
