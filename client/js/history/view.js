// The timeslider's elements, built once into the host's element: no behaviour here (see
// timeslider.js), only structure, labels and the roles a screen reader needs. The layout:
//
//   [ version marks                                                            ]
//   [ authors' colors along the history                                        ]
//   [ slider over every revision ------------o---------------------------------- ]
//   [|<] [<] [Play] [>] [>|]  speed     Revision 12 of 57 · date · (o) Ann
//   Go to [date and time] [Go]   Compare with [...]               [x] Author colors
//   ( message )
//   Revision 12, date, by Ann   [Restore this revision] Export [...] [Download] | Changes (comparing)
//   the document, read-only (or the compare view)                             | Named versions
//                                                                             | Authors

/** Speeds offered for play, in revisions a second, and the one selected at first. */
export const SPEEDS = [2, 10, 50, 250, 1000];
export const DEFAULT_SPEED = 10;

/**
 * Make an element: `h('button', {type: 'button', class: 'x'}, 'text', child)`.
 * @returns {HTMLElement}
 */
function h(document, tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

/**
 * Build the timeslider's elements into `target` (replacing its content).
 * @param {HTMLElement} target
 * @param {{pad: string}} options
 * @returns {Object<string, HTMLElement>} the elements the behaviour needs, by name
 */
export function buildView(target, options) {
  const document = target.ownerDocument;
  const e = (...args) => h(document, ...args);
  const button = (name, label, text, extra = {}) => e('button', { type: 'button', 'data-action': name, 'aria-label': label, title: label, ...extra }, ...[text].flat());

  const ui = {};
  ui.marks = e('div', { class: 'pp-history-marks' });
  ui.strip = e('canvas', { class: 'pp-history-strip', 'aria-hidden': 'true', height: 8 });
  ui.slider = e('input', {
    type: 'range', class: 'pp-history-slider', min: 0, max: 0, step: 1, value: 0,
    'aria-label': 'Revision', disabled: true,
  });
  ui.first = button('first', 'First revision', icon(document, 'first'));
  ui.back = button('back', 'Step back', icon(document, 'back'));
  ui.play = button('play', 'Play', [icon(document, 'play'), ' Play'], { class: 'pp-history-play' });
  ui.forward = button('forward', 'Step forward', icon(document, 'forward'));
  ui.last = button('last', 'Latest revision', icon(document, 'last'));
  ui.speed = e('select', { class: 'pp-history-speed' },
    ...SPEEDS.map((speed) => e('option', { value: speed, selected: speed === DEFAULT_SPEED }, `${speed} / s`)));
  ui.whereSwatch = e('span', { class: 'pp-history-swatch' });
  ui.whereText = e('span', {}, 'Loading…');
  ui.where = e('span', { class: 'pp-history-where' }, ui.whereSwatch, ui.whereText);

  ui.date = e('input', { type: 'datetime-local', step: 1, class: 'pp-history-date' });
  ui.jump = e('form', { class: 'pp-history-jump' },
    e('label', {}, 'Go to', ui.date), ' ', e('button', { type: 'submit' }, 'Go'));
  ui.compare = e('select', { class: 'pp-history-compare' });
  ui.compareRev = e('input', {
    type: 'number', min: 0, step: 1, class: 'pp-history-compare-rev', 'aria-label': 'Compare with revision', hidden: true,
  });
  ui.restore = button('restore', 'Restore this revision', 'Restore this revision');
  ui.format = e('select', { class: 'pp-history-format' },
    e('option', { value: 'html' }, 'HTML'), e('option', { value: 'markdown' }, 'Markdown'), e('option', { value: 'text' }, 'Text'),
    e('option', { value: 'docx' }, 'Word (DOCX)'), e('option', { value: 'odt' }, 'OpenDocument (ODT)'), e('option', { value: 'pdf' }, 'PDF'));
  ui.export = button('export', 'Download this revision', 'Download');
  ui.authorColors = e('input', { type: 'checkbox', class: 'pp-history-author-colors' });

  ui.message = e('p', { class: 'pp-history-message', role: 'alert', hidden: true });
  ui.caption = e('p', { class: 'pp-history-caption' });
  ui.document = e('div', {
    class: 'pp-history-document', role: 'document', tabindex: 0, 'aria-label': 'The document at this revision',
  });
  ui.versions = e('ul', { class: 'pp-history-versions' });
  ui.label = e('input', { class: 'pp-history-label', maxlength: 200, 'aria-label': 'Name for this revision', placeholder: 'Approved by …' });
  ui.name = e('form', { class: 'pp-history-name' }, ui.label, e('button', { type: 'submit' }, 'Name'));
  ui.authors = e('ul', { class: 'pp-history-authors' });
  ui.changesSummary = e('p', { class: 'pp-history-caption' });
  ui.changesList = e('ul', {});
  ui.changes = e('section', { class: 'pp-history-panel pp-history-changes', hidden: true, 'aria-label': 'Changes' },
    e('h2', {}, 'Changes'), ui.changesSummary, ui.changesList);

  ui.root = e('div', { class: 'pp-history', role: 'region', 'aria-label': `History of ${options.pad}` },
    e('div', { class: 'pp-history-panel' },
      e('div', { class: 'pp-history-track' }, ui.marks, ui.strip, ui.slider),
      e('div', { class: 'pp-history-row', role: 'toolbar', 'aria-label': 'Move through the history' },
        ui.first, ui.back, ui.play, ui.forward, ui.last, e('label', {}, 'Speed', ui.speed), ui.where),
      e('div', { class: 'pp-history-row' },
        ui.jump,
        e('label', {}, 'Compare with', ui.compare), ui.compareRev,
        e('span', { class: 'pp-history-spacer' }),
        e('label', {}, ui.authorColors, 'Author colors'))),
    ui.message,
    e('div', { class: 'pp-history-main' },
      e('div', { class: 'pp-history-view' },
        e('div', { class: 'pp-history-row pp-history-actions' },
          ui.caption,
          e('span', { class: 'pp-history-tools' }, ui.restore, e('label', {}, 'Export', ui.format), ui.export)),
        ui.document),
      e('aside', { class: 'pp-history-side' },
        ui.changes,
        e('section', { class: 'pp-history-panel', 'aria-label': 'Named versions' },
          e('h2', {}, 'Named versions'), ui.versions, ui.name),
        e('section', { class: 'pp-history-panel', 'aria-label': 'Authors' }, e('h2', {}, 'Authors'), ui.authors))));
  target.replaceChildren(ui.root);
  return ui;
}

/**
 * Make an element in `document` (for the parts timeslider.js fills in as it goes).
 * @returns {HTMLElement}
 */
export function element(document, tag, attributes, ...children) {
  return h(document, tag, attributes, ...children);
}

/** The shapes of the buttons' icons (16 x 16), as SVG paths: fonts may lack the symbols. */
const ICONS = {
  first: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M11 3v10L4 8z',
  play: 'M5 3v10l8-5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  forward: 'M5 3v10l7-5z',
  last: 'M11 3h2v10h-2zM3 3v10l7-5z',
};

/**
 * An icon for a button (its label is the button's `aria-label`).
 * @param {Document} document
 * @param {keyof ICONS} name
 * @returns {SVGSVGElement}
 */
export function icon(document, name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'pp-history-icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
