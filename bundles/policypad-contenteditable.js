// The classic-script bundle for a contenteditable element (`npm run build` writes client/dist/policypad-contenteditable.js,
// served at /static/bundles/policypad-contenteditable.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, ContentEditableAdapter, Session, showCarets, PolicyPadError, Document}.
//
// `PolicyPad.attach(target, options)` takes an element with contenteditable="true"
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { ContentEditableAdapter } from '../adapters/contenteditable.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([ContentEditableAdapter]);
export { ContentEditableAdapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Document } from '../client/js/document.js';
export { Session } from '../client/js/session.js';
