// The classic-script bundle for WYMeditor 1.0 (`npm run build` writes client/dist/policypad-wymeditor.js,
// served at /static/bundles/policypad-wymeditor.js). It holds the client, the adapter, the
// document model, the remote carets and diff-match-patch, but not the editor, and sets
// window.PolicyPad = {attach, WymeditorAdapter, Session, showCarets, PolicyPadError}.
//
// `PolicyPad.attach(target, options)` takes a WYMeditor instance (what its `postInit` is given)
// and resolves with the started session (see client/js/attach.js; the README's embed section
// shows the page).

import { WymeditorAdapter } from '../adapters/wymeditor.js';
import { attacher } from '../client/js/attach.js';

export const attach = attacher([WymeditorAdapter]);
export { WymeditorAdapter };
export { showCarets } from '../client/js/carets.js';
export { PolicyPadError } from '../client/js/connection.js';
export { Session } from '../client/js/session.js';
