// The demo's WYMeditor 1.0.0-b7: loads jQuery 1.12.4, jquery-migrate 1.4.1 (WYMeditor
// needs `$.browser`), WYMeditor, its default skin and table plugin (all served by
// `policypad serve` from what scripts/setup installed), makes an editor in the host, and
// hands back what the pad page needs (see editors.js).

import { WymeditorAdapter } from '../adapters/wymeditor.js';

const VENDOR = '/static/vendor';
const WYM = `${VENDOR}/wymeditor/`;

/** Inside the editor's iframe: the body fills it (a click below the text lands in it). */
const FRAME_STYLE = `
html { height: 100%; }
body.wym_iframe { min-height: 100%; box-sizing: border-box; padding: 1px 0; }
/* WYMeditor tints every span; the authors' spans are colored only while colors are on */
span[data-author] { background-color: transparent; }
.pp-show-authors [data-author] { border-radius: 2px; }
`;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = false;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

function loadStyle(href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

let loading = null;

/** Load WYMeditor and what it needs, once (classic scripts, in order). */
function loadWymeditor() {
  loading ??= (async () => {
    loadStyle(`${WYM}skins/default/skin.css`);
    loadStyle('/static/demo/wymeditor.css');
    await loadScript(`${VENDOR}/jquery/jquery.min.js`);
    await loadScript(`${VENDOR}/jquery-migrate/jquery-migrate.min.js`);
    await loadScript(`${WYM}jquery.wymeditor.js`);
    await loadScript(`${WYM}skins/default/skin.js`);
    await loadScript(`${WYM}plugins/table/jquery.wymeditor.table.js`);
  })();
  return loading;
}

/** Keep the page's authorship style sheet and toggle in the iframe's document too. */
function mirrorAuthorColors(host, frameDocument) {
  const source = document.getElementById('author-colors');
  const copy = frameDocument.createElement('style');
  frameDocument.head.append(copy);
  const sync = () => {
    copy.textContent = source?.textContent ?? '';
    frameDocument.documentElement.classList.toggle('pp-show-authors', host.classList.contains('pp-show-authors'));
  };
  sync();
  if (source) new MutationObserver(sync).observe(source, { childList: true, characterData: true, subtree: true });
  new MutationObserver(sync).observe(host, { attributes: true, attributeFilter: ['class'] });
}

/**
 * WYMeditor's dialogs (link, image, table) are popup windows that load jQuery and
 * WYMeditor again: its own page for them, with jquery-migrate too (WYMeditor reads
 * `$.browser` as it loads).
 */
function dialogHtml(WYMeditor) {
  return `<!DOCTYPE html><html dir="${WYMeditor.DIRECTION}"><head>`
    + `<title>${WYMeditor.DIALOG_TITLE}</title>`
    + `<script src="${WYMeditor.JQUERY_PATH}"></script>`
    + `<script src="${VENDOR}/jquery-migrate/jquery-migrate.min.js"></script>`
    + `<script src="${WYMeditor.WYM_PATH}"></script>`
    + `</head>${WYMeditor.DIALOG_BODY}</html>`;
}

/** Make a WYMeditor in `host`; resolves once it is ready. */
export async function mountWymeditor(host) {
  await loadWymeditor();
  const textarea = document.createElement('textarea');
  textarea.setAttribute('aria-label', 'Pad content');
  host.append(textarea);
  const wym = await new Promise((resolve) => {
    window.jQuery(textarea).wymeditor({
      html: '',
      lang: 'en',
      basePath: WYM,
      wymPath: `${WYM}jquery.wymeditor.js`,
      iframeBasePath: `${WYM}iframe/default/`,
      jQueryPath: `${VENDOR}/jquery/jquery.min.js`,
      logoHtml: '',
      dialogHtml: dialogHtml(window.WYMeditor),
      postInit(instance) {
        instance.table?.();
        resolve(instance);
      },
    });
  });
  const frame = wym._iframe;
  frame.classList.add('pp-editor', 'pp-wym-frame');
  frame.title = 'Pad content';
  const style = wym._doc.createElement('style');
  style.textContent = FRAME_STYLE;
  wym._doc.head.append(style);
  mirrorAuthorColors(host, wym._doc);
  const adapter = new WymeditorAdapter(wym);
  return {
    element: wym._doc.body,
    adapter,
    wym,
    sessionOptions: { authors: true },
    backdrop: null,
  };
}
