// The classic-script bundle for CKEditor 4 (`npm run build` writes client/dist/policypad-ckeditor4.js,
// served at /static/bundles/policypad-ckeditor4.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, CKEditor4Adapter, Session, showCarets, PolicyPadError}.
//
// `PolicyPad.attach(target, options)` takes a CKEditor 4 editor once `instanceReady` has fired
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { CKEditor4Adapter } from '../adapters/ckeditor4.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([CKEditor4Adapter]);
export { CKEditor4Adapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Session } from '../client/js/session.js';
