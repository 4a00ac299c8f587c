// The editors the demo can show a pad in. Each entry makes its editor inside `host` and
// returns what the pad page needs: the adapter for the session, session options, the
// layer that draws other users' carets, and what shows authorship colors.
//
// Later editors (WYMeditor, TinyMCE, CKEditor) are added here and in editor-list.js: an
// adapter, and a caret layer built on the adapter's `rangeAt` (see overlay.js).

import { ContentEditableAdapter } from '../adapters/contenteditable.js';
import { TextareaAdapter } from '../adapters/textarea.js';
import { EDITOR_LABELS } from './editor-list.js';
import { RangeCarets, TextareaBackdrop, TextareaCarets } from './overlay.js';

export { EDITOR_LABELS };

export const EDITORS = {
  contenteditable: {
    label: EDITOR_LABELS.contenteditable,
    mount(host) {
      const element = document.createElement('div');
      element.className = 'pp-editor pp-rich';
      element.contentEditable = 'true';
      element.spellcheck = false;
      element.setAttribute('role', 'textbox');
      element.setAttribute('aria-multiline', 'true');
      element.setAttribute('aria-label', 'Pad content');
      host.append(element);
      const adapter = new ContentEditableAdapter(element);
      return {
        element,
        adapter,
        // authorship: the editor holds span data-author; colors come from a style sheet
        // toggled by a class on the host, so switching them changes no document
        sessionOptions: { authors: true },
        carets: new RangeCarets(host, element, adapter),
        backdrop: null,
      };
    },
  },
  textarea: {
    label: EDITOR_LABELS.textarea,
    mount(host) {
      const element = document.createElement('textarea');
      element.className = 'pp-editor pp-plain';
      element.spellcheck = false;
      element.setAttribute('aria-label', 'Pad content');
      host.append(element);
      const adapter = new TextareaAdapter(element);
      return {
        element,
        adapter,
        sessionOptions: {},
        carets: new TextareaCarets(host, element),
        // a textarea cannot color its text: a backdrop behind it shows the authors
        backdrop: new TextareaBackdrop(host, element),
      };
    },
  },
};
