// The classic-script bundle for TinyMCE 6 (`npm run build` writes client/dist/policypad-tinymce.js,
// served at /static/bundles/policypad-tinymce.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, TinyMCEAdapter, Session, showCarets, PolicyPadError}.
//
// `PolicyPad.attach(target, options)` takes an initialized TinyMCE 6 editor (what `tinymce.init` resolves with)
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { TinyMCEAdapter } from '../adapters/tinymce.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([TinyMCEAdapter]);
export { TinyMCEAdapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Session } from '../client/js/session.js';
