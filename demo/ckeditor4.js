// The demo's CKEditor 4 (ckeditor4@4.22.1, the last free release, served by `policypad
// serve` from node_modules at /static/vendor/ckeditor4/): loads it, makes a classic
// (iframe) editor in the host, and hands back what the pad page needs (see editors.js).

import { CKEditor4Adapter } from '../adapters/ckeditor4.js';
import { FRAME_STYLE, loadScript, mirrorAuthorColors } from './tinymce.js';

const BASE = '/static/vendor/ckeditor4/';

/** Make a CKEditor 4 in `host`; resolves once it is ready. */
export async function mountCKEditor4(host) {
  window.CKEDITOR_BASEPATH = BASE;
  await loadScript(`${BASE}ckeditor.js`);
  const { CKEDITOR } = window;
  CKEDITOR.disableAutoInline = true;
  const textarea = document.createElement('textarea');
  textarea.setAttribute('aria-label', 'Pad content');
  host.append(textarea);
  const mirror = mirrorAuthorColors(host);
  const editor = CKEDITOR.replace(textarea, {
    versionCheck: false,
    customConfig: '',
    language: 'en',
    height: Math.max(200, host.clientHeight - 120),
    width: '100%',
    toolbar: [
      { name: 'history', items: ['Undo', 'Redo'] },
      { name: 'styles', items: ['Format'] },
      { name: 'basic', items: ['Bold', 'Italic'] },
      { name: 'lists', items: ['BulletedList', 'NumberedList'] },
      { name: 'insert', items: ['Link', 'Unlink', 'Table', 'Image'] },
    ],
    format_tags: 'p;h1;h2;h3;h4;h5;h6;pre',
    // magicline and table selection put elements and classes of their own into the body;
    // scayt would call a spelling service; the others need a server side
    removePlugins: 'magicline,scayt,elementspath,resize,tableselection,uploadimage,uploadwidget',
    removeDialogTabs: 'image:advanced;link:advanced',
  });
  // every new body (the first, and after setData) gets the page's look and the authors' colors
  editor.on('contentDom', () => {
    const frameDocument = editor.document.$;
    const style = frameDocument.createElement('style');
    // CKEditor's own contents.css sets a smaller font on .cke_editable
    style.textContent = `${FRAME_STYLE}\nbody.cke_editable { font-size: 1rem; line-height: 1.55; }`;
    frameDocument.head.append(style);
    mirror(frameDocument);
  });
  await new Promise((resolve) => editor.on('instanceReady', resolve));
  editor.resize('100%', host.clientHeight);
  const adapter = new CKEditor4Adapter(editor);
  return {
    element: editor.editable().$,
    adapter,
    ckeditor: editor,
    sessionOptions: { authors: true },
    backdrop: null,
  };
}
