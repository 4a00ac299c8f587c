// The editors the demo can show a pad in. Each entry makes its editor inside `host` and
// returns what the pad page needs: the adapter for the session, session options, and what
// shows authorship colors (other users' carets are the client's: client/js/carets.js).

import { ContentEditableAdapter } from '../adapters/contenteditable.js';
import { TextareaAdapter } from '../adapters/textarea.js';
import { EDITOR_LABELS } from './editor-list.js';
import { TextareaBackdrop } from './backdrop.js';
import { mountWymeditor } from './wymeditor.js';
import { mountCKEditor5 } from './ckeditor5.js';
import { mountTinyMCE } from './tinymce.js';
import { mountCKEditor4 } from './ckeditor4.js';

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
        // a textarea cannot color its text: a backdrop behind it shows the authors
        backdrop: new TextareaBackdrop(host, element),
      };
    },
  },
  wymeditor: {
    label: EDITOR_LABELS.wymeditor,
    // loads jQuery and WYMeditor, then makes the editor (asynchronously: see wymeditor.js)
    mount: (host) => mountWymeditor(host),
  },
  ckeditor5: {
    label: EDITOR_LABELS.ckeditor5,
    // loads CKEditor 5's browser build, then makes a classic editor (see ckeditor5.js)
    mount: (host) => mountCKEditor5(host),
  },
  tinymce: {
    label: EDITOR_LABELS.tinymce,
    // loads TinyMCE 6, then makes an editor with its toolbar (see tinymce.js)
    mount: (host) => mountTinyMCE(host),
  },
  ckeditor4: {
    label: EDITOR_LABELS.ckeditor4,
    // loads CKEditor 4, then makes a classic editor (see ckeditor4.js)
    mount: (host) => mountCKEditor4(host),
  },
};
