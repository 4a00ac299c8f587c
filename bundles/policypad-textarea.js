// The classic-script bundle for a <textarea> (`npm run build` writes client/dist/policypad-textarea.js,
// served at /static/bundles/policypad-textarea.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, TextareaAdapter, Session, showCarets, PolicyPadError}.
//
// `PolicyPad.attach(target, options)` takes a textarea element
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { TextareaAdapter } from '../adapters/textarea.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([TextareaAdapter]);
export { TextareaAdapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Session } from '../client/js/session.js';
