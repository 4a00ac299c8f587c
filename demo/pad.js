// The demo's pad page (/pads/{pad}/{editor}): one editor bound to the pad, the people on
// it with their colors, chat, the connection status, authorship colors and the other
// users' carets. Query parameters: name, color (this user's), authors=1 (colors on),
// spans=0 (no authorship spans in the editor, as on a host page that does not ask for them).
//
// window.policypad = {session, adapter, element, editor} for debugging and the browser tests.

import { Document } from '../client/js/document.js';
import { Session } from '../client/js/session.js';
import { EDITORS } from './editors.js';
import { safeColor, showCarets } from '../client/js/carets.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const [, , padSegment = '', editorSegment = 'contenteditable'] = location.pathname.split('/');
const padId = decodeURIComponent(padSegment);
const editorKey = decodeURIComponent(editorSegment);

function userName() {
  const asked = params.get('name');
  if (asked) return asked;
  let name = localStorage.getItem('policypad.name');
  if (!name) {
    name = `Guest ${Math.floor(100 + Math.random() * 900)}`;
    localStorage.setItem('policypad.name', name);
  }
  return name;
}

// -- page frame -------------------------------------------------------------------------------

document.title = `${padId} · PolicyPad`;
$('pad-name').textContent = padId;
for (const [key, editor] of Object.entries(EDITORS)) {
  const link = document.createElement('a');
  link.href = `/pads/${encodeURIComponent(padId)}/${key}${location.search}`;
  link.textContent = editor.label;
  if (key === editorKey) link.setAttribute('aria-current', 'page');
  $('editors').append(link);
}

$('history-link').href = `/pads/${encodeURIComponent(padId)}/history`;

const editor = EDITORS[editorKey];
if (editor === undefined) {
  showError(`There is no editor "${editorKey}". Pick one above.`);
  throw new Error(`unknown editor ${editorKey}`);
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

const host = $('editor-host');
host.dataset.editor = editorKey;
// real editors start asynchronously (they load their skins and plugins)
const mounted = await editor.mount(host);
const { element, adapter } = mounted;

// -- authorship colors ------------------------------------------------------------------------

/** author -> color, for everyone seen on this page (text stays after its author leaves). */
const authorColors = new Map();

function rememberAuthor(author, color) {
  if (author && color && authorColors.get(author) !== color) {
    authorColors.set(author, color);
    return true;
  }
  return false;
}

let stylesFor = -1;

/** One rule per author in the pad's pool: their color, or a stable one if never seen. */
function writeAuthorStyles(force = true) {
  const pool = session.connection.ot?.pool;
  if (!force && (pool === undefined || pool.nextNum === stylesFor)) return;
  const authors = new Set(authorColors.keys());
  if (pool !== undefined) {
    stylesFor = pool.nextNum;
    for (let num = 0; num < pool.nextNum; num++) {
      if (!pool.hasAttrib(num)) continue;
      const [key, value] = pool.getAttrib(num);
      if (key === 'author' && value) authors.add(value);
    }
  }
  const rules = [];
  for (const author of authors) {
    const value = safeColor(authorColors.get(author), author);
    rules.push(`.pp-show-authors [data-author="${CSS.escape(author)}"] {`
      + ` background-color: color-mix(in srgb, ${value} 28%, transparent); }`);
  }
  $('author-colors').textContent = rules.join('\n');
}

const showAuthors = $('show-authors');
showAuthors.checked = params.get('authors') === '1';
function applyAuthorToggle() {
  host.classList.toggle('pp-show-authors', showAuthors.checked);
  drawBackdrop();
}
showAuthors.addEventListener('change', applyAuthorToggle);

// -- the session ------------------------------------------------------------------------------

const session = new Session(adapter, {
  server: location.origin,
  pad: padId,
  name: userName(),
  color: params.get('color') ?? undefined,
  ...mounted.sessionOptions,
  ...(params.get('spans') === '0' ? { authors: false } : {}),
});
window.policypad = { session, adapter, element, editor: editorKey };
// other users' carets over the editor, in the editor's pane (the client draws them)
showCarets(session, { host });

function drawBackdrop() {
  if (!mounted.backdrop) return;
  const ot = session.connection.ot;
  if (ot === null || !showAuthors.checked) {
    mounted.backdrop.update([]);
    return;
  }
  // the model's runs, with their authors, as the textarea shows them (lines joined)
  const runs = [];
  const lines = Document.fromAText(ot.atext, ot.pool).toLines();
  lines.forEach(([lineRuns], index) => {
    for (const [text, attrs] of lineRuns) runs.push([text, attrs.author ?? null]);
    if (index < lines.length - 1) runs.push(['\n', null]);
  });
  mounted.backdrop.update(runs);
}

const STATUS_TEXT = {
  connecting: () => 'Connecting…',
  saving: () => 'Saving…',
  saved: () => (everSaved ? 'All changes saved' : 'Connected'),
  resyncing: () => 'Resyncing…',
  offline: (unsaved) => (unsaved > 0
    ? `Offline — ${unsaved} unsaved ${unsaved === 1 ? 'change' : 'changes'}`
    : 'Offline — reconnecting…'),
};
let everSaved = false;

function showStatus({ status, unsaved }) {
  if (status === 'saving') everSaved = true;
  const label = $('status');
  label.dataset.status = status;
  label.dataset.unsaved = String(unsaved ?? 0);
  label.textContent = (STATUS_TEXT[status] ?? (() => status))(unsaved ?? 0);
}

function renderUsers() {
  const list = $('users');
  const entries = [];
  const you = session.you;
  const everyone = you ? [{ ...you, self: true }, ...session.users] : session.users;
  for (const user of everyone) {
    const item = document.createElement('li');
    item.className = 'user';
    item.dataset.clientId = user.clientId;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = safeColor(user.color, user.author);
    const name = document.createElement('span');
    name.className = 'user-name';
    name.textContent = user.name;
    item.append(swatch, name);
    if (user.self) {
      const tag = document.createElement('span');
      tag.className = 'you';
      tag.textContent = '(you)';
      item.append(tag);
    }
    entries.push(item);
  }
  list.replaceChildren(...entries);
  let changed = false;
  for (const user of everyone) changed = rememberAuthor(user.author, user.color) || changed;
  if (changed) {
    writeAuthorStyles();
    drawBackdrop();
  }
}

const chatSeen = new Set();
function showChat(message) {
  if (chatSeen.has(message.number)) return;
  chatSeen.add(message.number);
  const item = document.createElement('li');
  item.className = 'chat-message';
  const who = document.createElement('span');
  who.className = 'chat-author';
  who.textContent = message.name;
  who.style.color = safeColor(authorColors.get(message.author), message.author);
  const time = document.createElement('time');
  const when = new Date(message.time);
  time.dateTime = when.toISOString();
  time.textContent = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const text = document.createElement('span');
  text.className = 'chat-text';
  text.textContent = message.text;
  item.append(who, time, text);
  const log = $('chat-log');
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

session
  .on('status', showStatus)
  .on('users', renderUsers)
  .on('chat', showChat)
  .on('update', () => {
    writeAuthorStyles(false);
    drawBackdrop();
  })
  .on('ready', (joined) => {
    for (const message of joined.chat ?? []) showChat(message);
  })
  .on('error', (message) => {
    if (message.code === 'pad_not_found') showError(`There is no pad "${padId}". Create it on the start page.`);
    else if (message.code === 'pad_deleted') showError(`The pad "${padId}" was deleted.`);
    // a pasted image the server would not keep (too large, not an image, damaged, SVG)
    else if (message.code?.startsWith('image_') || message.code === 'bad_data_url') showError(message.message);
  });
session.connection.on('joined', () => queueMicrotask(renderUsers));

$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('chat-input');
  const text = input.value.trim();
  if (!text) return;
  session.sendChat(text);
  input.value = '';
});

try {
  await session.start();
  showStatus({ status: session.status, unsaved: 0 });
  renderUsers();
  writeAuthorStyles();
  applyAuthorToggle();
  document.body.dataset.ready = 'true';
} catch (failure) {
  showError(`Could not open the pad: ${failure.message}`);
  throw failure;
}
