// The demo's TinyMCE 6 (tinymce@6.8.6, served by `policypad serve` from node_modules at
// /static/vendor/tinymce/): loads it, makes an editor in the host with the lists, link,
// table and image plugins, and hands back what the pad page needs (see editors.js).

import { TinyMCEAdapter } from '../adapters/tinymce.js';

const BASE = '/static/vendor/tinymce';

/** Inside the editor's iframe: the page's look, and authors' spans uncolored until asked. */
export const FRAME_STYLE = `
body { font: 1rem/1.55 system-ui, sans-serif; margin: 1rem 1.3rem; }
p { margin: 0 0 0.7em; }
.pp-show-authors [data-author] { border-radius: 2px; }
`;

/** Load a classic script once; resolves when it has run. */
export function loadScript(src) {
  const existing = document.querySelector(`script[data-pp-src="${src}"]`);
  if (existing !== null) return existing.loaded;
  const script = document.createElement('script');
  script.src = src;
  script.dataset.ppSrc = src;
  script.loaded = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
  });
  document.head.append(script);
  return script.loaded;
}

/**
 * Keep the page's authorship style sheet (#author-colors) and its on/off class (on the
 * host) in an editor's iframe document too, where the authors' spans are.
 * @returns {(frameDocument: Document) => void} call again for a new frame document
 */
export function mirrorAuthorColors(host) {
  const source = document.getElementById('author-colors');
  let target = null;
  const sync = () => {
    if (target === null || !target.copy.isConnected) return;
    target.copy.textContent = source?.textContent ?? '';
    target.document.documentElement.classList.toggle('pp-show-authors', host.classList.contains('pp-show-authors'));
  };
  if (source) new MutationObserver(sync).observe(source, { childList: true, characterData: true, subtree: true });
  new MutationObserver(sync).observe(host, { attributes: true, attributeFilter: ['class'] });
  return (frameDocument) => {
    const copy = frameDocument.createElement('style');
    frameDocument.head.append(copy);
    target = { document: frameDocument, copy };
    sync();
  };
}

/** Make a TinyMCE editor in `host`; resolves once it is ready. */
export async function mountTinyMCE(host) {
  await loadScript(`${BASE}/tinymce.min.js`);
  const target = document.createElement('div');
  host.append(target);
  const [editor] = await window.tinymce.init({
    target,
    base_url: BASE,
    suffix: '.min',
    height: '100%',
    menubar: false,
    statusbar: false,
    branding: false,
    promotion: false,
    resize: false,
    plugins: 'lists link table image',
    toolbar: 'undo redo | blocks | bold italic | bullist numlist | link table image',
    toolbar_mode: 'wrap',
    block_formats: 'Paragraph=p; Heading 1=h1; Heading 2=h2; Heading 3=h3; Heading 4=h4; Heading 5=h5; Heading 6=h6; Preformatted=pre',
    // handles and bars TinyMCE would put into the body as elements of its own
    object_resizing: false,
    table_resize_bars: false,
    // links as the model keeps them (absolute), not rewritten relative to the page
    convert_urls: false,
    browser_spellcheck: false,
    content_style: FRAME_STYLE,
    iframe_aria_text: 'Pad content',
  });
  // the editor fills the host
  editor.getContainer().style.flex = '1';
  mirrorAuthorColors(host)(editor.getDoc());
  const adapter = new TinyMCEAdapter(editor);
  return {
    element: editor.getBody(),
    adapter,
    tinymce: editor,
    sessionOptions: { authors: true },
    backdrop: null,
  };
}
