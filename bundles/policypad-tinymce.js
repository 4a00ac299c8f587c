// Entry point of the classic-script bundle for TinyMCE (`npm run build` writes
// client/dist/policypad-tinymce.js, served at /static/bundles/policypad-tinymce.js), for
// pages that load TinyMCE with a script tag (django-tinymce, for one):
//
//   <script src="/static/bundles/policypad-tinymce.js"></script>
//   <script>
//     tinymce.init({selector: '#policy'}).then(([editor]) => PolicyPad.attach(null, {
//       server: location.origin, pad: 'my-pad', adapter: new PolicyPad.TinyMCEAdapter(editor),
//     }));
//   </script>
//
// The bundle holds the client, the document model and diff-match-patch (not TinyMCE); it
// exposes window.PolicyPad.

import { TinyMCEAdapter } from '../adapters/tinymce.js';
import { Session } from '../client/js/session.js';

/**
 * Bind an initialized TinyMCE editor to a pad; resolves with the started session.
 * @param {object|null} target the editor (after its `init` event), or null with options.adapter
 * @param {object} options {server, pad, token?, name?, color?, authors?, adapter?}
 */
export function attach(target, options) {
  const adapter = options.adapter ?? new TinyMCEAdapter(target);
  return new Session(adapter, options).start();
}

export { Session, TinyMCEAdapter };
