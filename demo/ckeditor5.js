// The demo's CKEditor 5: the browser build (served at /static/vendor/ckeditor5/ when
// installed, see scripts/setup), loaded on first use, as a classic editor with the
// toolbar a policy writer needs, and its adapter.

import { CKEditor5Adapter } from '../adapters/ckeditor5.js';

const VENDOR = '/static/vendor/ckeditor5';
// the editor fills the pad's editor pane; its editable scrolls under the toolbar
const STYLE = `
.pp-ckeditor5 { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.pp-ckeditor5 .ck.ck-editor { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.pp-ckeditor5 .ck.ck-editor__main { flex: 1; min-height: 0; display: flex; }
.pp-ckeditor5 .ck.ck-editor__main > .ck-editor__editable { flex: 1; overflow: auto; }
`;

function addStyleSheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

/** Make a CKEditor 5 in `host`; resolves to what the pad page needs (see editors.js). */
export async function mountCKEditor5(host) {
  addStyleSheet(`${VENDOR}/ckeditor5.css`);
  if (!document.getElementById('pp-ckeditor5-style')) {
    const style = document.createElement('style');
    style.id = 'pp-ckeditor5-style';
    style.textContent = STYLE;
    document.head.append(style);
  }
  const ck = await import(`${VENDOR}/ckeditor5.js`);
  const frame = document.createElement('div');
  frame.className = 'pp-ckeditor5';
  const element = document.createElement('div');
  frame.append(element);
  host.append(frame);
  // every heading level the model has, so a pad's h1 or h6 shows as it is
  const headings = [1, 2, 3, 4, 5, 6].map((level) => ({
    model: `heading${level}`, view: `h${level}`, title: `Heading ${level}`, class: `ck-heading_heading${level}`,
  }));
  const editor = await ck.ClassicEditor.create(element, {
    licenseKey: 'GPL',
    plugins: [
      ck.Essentials, ck.Paragraph, ck.Bold, ck.Italic, ck.Underline, ck.Strikethrough, ck.Heading,
      ck.List, ck.Link, ck.Table, ck.TableToolbar, ck.Image, ck.ImageInsertViaUrl, ck.BlockQuote,
      ck.PasteFromOffice,
    ],
    toolbar: {
      items: [
        'undo', 'redo', '|', 'heading', '|', 'bold', 'italic', 'underline', 'strikethrough', '|',
        'link', 'bulletedList', 'numberedList', 'blockQuote', 'insertTable', 'insertImage',
      ],
      shouldNotGroupWhenFull: true,
    },
    heading: {
      options: [{ model: 'paragraph', title: 'Paragraph', class: 'ck-heading_paragraph' }, ...headings],
    },
    table: { contentToolbar: ['tableColumn', 'tableRow', 'mergeTableCells'] },
    link: { defaultProtocol: 'https://' },
  });
  const view = editor.editing.view;
  view.change((writer) => {
    writer.addClass('pp-editor-ck', view.document.getRoot());
    writer.setAttribute('aria-label', 'Pad content', view.document.getRoot());
  });
  const editable = view.getDomRoot();
  const adapter = new CKEditor5Adapter(editor);
  return {
    element: editable,
    adapter,
    // the model's authorship spans would be dropped by CKEditor's schema: no colors here
    sessionOptions: {},
    backdrop: null,
  };
}
