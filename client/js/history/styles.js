// The timeslider's looks, put into the page once. Every rule is inside `:where()`, which
// has no specificity, so any rule of the host page's own overrides it; colors are custom
// properties (`--pp-history-accent`, ...) for a page that only wants its own palette.
//
// The compare view's marks: `ins` (added), `del` (removed), and `[data-pp-change]` on
// text whose formatting changed (`format`), on blocks whose kind changed (`block`: a
// heading level, a list, a quote) and on whole lines, rows and cells added or removed
// (`ins`, `del`), as the diff (document/diff.js) writes them, each with `data-pp-before`.

const CSS = `
:where(.pp-history) {
  --pp-history-ink: #1d2330; --pp-history-muted: #5d6575; --pp-history-line: #d9dde5;
  --pp-history-paper: #fff; --pp-history-ground: #f3f5f8; --pp-history-accent: #2856c8;
  --pp-history-bad: #b42318; --pp-history-ins: #d3f5dc; --pp-history-ins-ink: #125c2b;
  --pp-history-del: #fde2e1; --pp-history-del-ink: #8f1d16; --pp-history-format: #b26b00;
  display: flex; flex-direction: column; gap: 0.6rem; min-height: 0; color: var(--pp-history-ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
:where(.pp-history) :where(button, select, input) { font: inherit; font-size: 0.9rem; }
:where(.pp-history) :where(button) {
  border: 1px solid var(--pp-history-line); border-radius: 6px; background: var(--pp-history-paper);
  color: var(--pp-history-ink); padding: 0.25rem 0.6rem; cursor: pointer;
}
:where(.pp-history) :where(button:hover) { border-color: var(--pp-history-accent); }
:where(.pp-history) :where(button:focus-visible, input:focus-visible, select:focus-visible, .pp-history-document:focus-visible) {
  outline: 2px solid var(--pp-history-accent); outline-offset: 1px;
}
:where(.pp-history) :where(button[disabled]) { opacity: 0.5; cursor: default; }
:where(.pp-history) :where(button) { display: inline-flex; align-items: center; gap: 0.3rem; }
:where(.pp-history-icon) { flex: none; }
.pp-history [hidden] { display: none !important; }
:where(.pp-history-panel) > :where(*) { min-width: 0; }
:where(.pp-history-compare) { max-width: 15rem; }
:where(.pp-history-panel) {
  background: var(--pp-history-paper); border: 1px solid var(--pp-history-line); border-radius: 8px;
  padding: 0.6rem 0.8rem; display: grid; gap: 0.5rem;
}
:where(.pp-history-track) { position: relative; padding-top: 14px; }
:where(.pp-history-strip) {
  display: block; width: 100%; height: 8px; border-radius: 4px; background: var(--pp-history-ground);
}
:where(.pp-history-slider) { display: block; width: 100%; margin: 2px 0 0; accent-color: var(--pp-history-accent); }
:where(.pp-history-marks) { position: absolute; left: 8px; right: 8px; top: 0; height: 14px; }
:where(.pp-history-mark) {
  position: absolute; top: 0; width: 10px; height: 12px; margin-left: -5px; padding: 0; border: 0;
  border-radius: 2px 2px 5px 5px; background: var(--pp-history-accent); cursor: pointer;
}
:where(.pp-history-row) { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.8rem; }
:where(.pp-history-row) :where(label) { display: inline-flex; align-items: center; gap: 0.35rem; color: var(--pp-history-muted); font-size: 0.9rem; }
:where(.pp-history-where) { display: inline-flex; align-items: center; gap: 0.4rem; font-variant-numeric: tabular-nums; }
:where(.pp-history-swatch) { display: inline-block; width: 0.75rem; height: 0.75rem; border-radius: 50%; flex: none; }
:where(.pp-history-spacer) { flex: 1; }
:where(.pp-history-message) { margin: 0; padding: 0.4rem 0.7rem; border-radius: 6px; background: #fdecea; color: var(--pp-history-bad); }
:where(.pp-history-message[data-kind="done"]) { background: #e6f4ea; color: #237a3b; }
:where(.pp-history-main) { display: grid; grid-template-columns: minmax(0, 1fr) 16rem; gap: 0.8rem; min-height: 0; flex: 1; }
:where(.pp-history-view) { display: flex; flex-direction: column; min-height: 0; gap: 0.3rem; }
:where(.pp-history-caption) { margin: 0; color: var(--pp-history-muted); font-size: 0.9rem; }
:where(.pp-history-actions) { min-height: 2.2rem; flex-wrap: nowrap; }
:where(.pp-history-actions) > :where(.pp-history-caption) { flex: 1 1 0; min-width: 10rem; }
:where(.pp-history-tools) { display: inline-flex; align-items: center; gap: 0.4rem; flex: none; }
:where(.pp-history-document) {
  flex: 1; min-height: 12rem; overflow: auto; background: var(--pp-history-paper); border: 1px solid var(--pp-history-line);
  border-radius: 8px; padding: 0.8rem 1.1rem; line-height: 1.55; overflow-wrap: anywhere;
}
:where(.pp-history-document) > :where(:first-child) { margin-top: 0; }
/* a long document: the browser lays out only the blocks in view */
:where(.pp-history-document) > :where(*) { content-visibility: auto; contain-intrinsic-size: auto 1.5em; }
:where(.pp-history-document) :where(p) { margin: 0 0 0.7em; }
:where(.pp-history-side) { display: flex; flex-direction: column; gap: 0.8rem; min-height: 0; overflow: auto; }
:where(.pp-history-side) :where(h2) { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--pp-history-muted); margin: 0; }
:where(.pp-history-side) :where(ul) { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.3rem; }
:where(.pp-history-side) :where(li) { display: flex; align-items: center; gap: 0.4rem; flex-wrap: wrap; font-size: 0.9rem; }
:where(.pp-history-side) :where(li small) { color: var(--pp-history-muted); }
:where(.pp-history-version[aria-current="true"]) { border-color: var(--pp-history-accent); font-weight: 600; }
:where(.pp-history-name) { display: flex; gap: 0.3rem; }
:where(.pp-history-name) :where(input) { flex: 1; min-width: 0; }
:where(.pp-history-authors-on) :where([data-author]) { border-radius: 2px; }

/* compare: what was added, removed, reformatted */
:where(.pp-history-document) :where(ins, [data-pp-change="ins"]) {
  background: var(--pp-history-ins); color: var(--pp-history-ins-ink); text-decoration: none;
}
:where(.pp-history-document) :where(del, [data-pp-change="del"]) {
  background: var(--pp-history-del); color: var(--pp-history-del-ink); text-decoration: line-through;
}
:where(.pp-history-document) :where([data-pp-change="format"]) {
  text-decoration: underline dotted var(--pp-history-format) 2px; text-underline-offset: 3px;
}
:where(.pp-history-document) :where([data-pp-change="block"]) {
  box-shadow: inset 3px 0 0 var(--pp-history-format); padding-left: 0.5rem;
}
:where(.pp-history-document) :where([data-pp-change][data-pp-note]:hover, [data-pp-change][data-pp-note]:focus) {
  outline: 1px dashed var(--pp-history-format);
}
:where(.pp-history-changes) :where(li) { display: block; }
:where(.pp-history-changes) :where(button) { text-align: left; width: 100%; }

@media (max-width: 760px) {
  :where(.pp-history-main) { grid-template-columns: 1fr; }
}
`;

const ID = 'pp-history-styles';

/** Put the timeslider's style sheet into `document`, once. */
export function addStyles(document) {
  if (document.getElementById(ID) !== null) return;
  const style = document.createElement('style');
  style.id = ID;
  style.textContent = CSS;
  document.head.prepend(style);
}
