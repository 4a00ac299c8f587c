// The classic-script bundle for CKEditor 5 (`npm run build` writes client/dist/policypad-ckeditor5.js,
// served at /static/bundles/policypad-ckeditor5.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, CKEditor5Adapter, Session, showCarets, PolicyPadError}.
//
// `PolicyPad.attach(target, options)` takes a CKEditor 5 editor (what `ClassicEditor.create` resolves with)
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { CKEditor5Adapter } from '../adapters/ckeditor5.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([CKEditor5Adapter]);
export { CKEditor5Adapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Session } from '../client/js/session.js';
