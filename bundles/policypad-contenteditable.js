// Entry point of the classic-script bundle for a contenteditable element (`npm run build`
// writes client/dist/policypad-contenteditable.js, served at
// /static/bundles/policypad-contenteditable.js):
//
//   <script src="/static/bundles/policypad-contenteditable.js"></script>
//   <script>PolicyPad.attach(element, {server: location.origin, pad: 'my-pad'})</script>
//
// The bundle holds the client, the document model and diff-match-patch; it exposes
// window.PolicyPad.

import { ContentEditableAdapter } from '../adapters/contenteditable.js';
import { Document } from '../client/js/document.js';
import { Session } from '../client/js/session.js';

/**
 * Bind a contenteditable element to a pad; resolves with the started session.
 * @param {HTMLElement} target an element with contenteditable="true"
 * @param {object} options {server, pad, token?, name?, color?, authors?}
 */
export function attach(target, options) {
  const adapter = options.adapter ?? new ContentEditableAdapter(target);
  return new Session(adapter, options).start();
}

export { ContentEditableAdapter, Document, Session };
