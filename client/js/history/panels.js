// What the timeslider's panels show, made from its state: the authors with their colors,
// the named versions (a list, and marks over the slider), the compare-with choices, the
// notes of a comparison, the messages. Each function returns elements or text; timeslider.js
// puts them in place.

import { element } from './view.js';

/**
 * The authors of a history, most revisions first: a swatch of their color, their name and
 * how many revisions they wrote.
 * @param {Document} document
 * @param {import('./timeline.js').Timeline} timeline
 * @param {import('./authors.js').Authors} authors
 * @returns {HTMLElement[]} list items
 */
export function authorItems(document, timeline, authors) {
  const counts = new Uint32Array(timeline.authors.length);
  for (let rev = 0; rev <= timeline.head; rev++) counts[timeline.authorIndexOf(rev)]++;
  return [...counts.keys()].filter((index) => counts[index] > 0).sort((a, b) => counts[b] - counts[a]).map((index) => {
    const author = timeline.authors[index];
    const swatch = element(document, 'span', { class: 'pp-history-swatch' });
    swatch.style.backgroundColor = authors.color(author);
    return element(document, 'li', { 'data-author': author }, swatch, authors.name(author),
      element(document, 'small', {}, plural(counts[index], 'revision')));
  });
}

/**
 * The style sheet that colors each author's text (`span data-author`) under `scope`.
 * @param {string} scope a selector
 * @param {string[]} ids author ids
 * @param {import('./authors.js').Authors} authors
 * @returns {string}
 */
export function authorRules(scope, ids, authors) {
  // an id goes into a CSS string; a color is one the browser takes as a color (safeColor)
  return ids.map((author) => `${scope} [data-author="${cssString(author)}"]`
    + ` { background-color: color-mix(in srgb, ${authors.color(author)} 28%, transparent); }`).join('\n');
}

/**
 * The named versions as list items: a button that shows the version, and when and by whom
 * it was named.
 * @param {Document} document
 * @param {Array<{id: number, rev: number, label: string, note: string, author: string, time: number}>} versions
 * @param {(time: number) => string} formatTime
 * @param {import('./authors.js').Authors} authors
 * @returns {HTMLElement[]}
 */
export function versionItems(document, versions, formatTime, authors) {
  if (versions.length === 0) return [element(document, 'li', {}, element(document, 'small', {}, 'None yet.'))];
  return versions.map((version) => element(document, 'li', {},
    element(document, 'button', {
      type: 'button', class: 'pp-history-version', 'data-rev': version.rev, 'data-version': version.id,
      title: version.note || `Show revision ${version.rev}`,
    }, version.label),
    element(document, 'small', {}, `revision ${version.rev} · named ${formatTime(version.time)}`
      + (version.author ? ` by ${authors.name(version.author)}` : ''))));
}

/**
 * A mark over the slider for each named version, placed at its revision. Out of the Tab
 * order: the list of versions is the keyboard's way to them.
 * @returns {HTMLElement[]}
 */
export function versionMarks(document, versions, head) {
  const last = Math.max(1, head);
  return versions.map((version) => {
    const mark = element(document, 'button', {
      type: 'button', class: 'pp-history-mark', tabindex: -1, 'data-rev': version.rev,
      title: `${version.label} (revision ${version.rev})`, 'aria-label': `Version ${version.label}`,
    });
    mark.style.left = `${(Math.min(version.rev, last) / last) * 100}%`;
    return mark;
  });
}

/**
 * The compare-with choices: nothing, the revision before, the latest, each version, a
 * revision by number; and which one stands for what is compared now.
 * @param {Document} document
 * @param {Array<{id: number, rev: number, label: string}>} versions
 * @param {null|'previous'|'head'|number} follow what the comparison follows
 * @returns {{options: HTMLElement[], value: string}}
 */
export function compareChoices(document, versions, follow) {
  const options = [
    element(document, 'option', { value: 'off' }, 'nothing'),
    element(document, 'option', { value: 'previous' }, 'the revision before'),
    element(document, 'option', { value: 'head' }, 'the latest revision'),
    ...versions.map((version) => element(document, 'option', { value: `version:${version.id}` },
      `version “${version.label}” (${version.rev})`)),
    element(document, 'option', { value: 'revision' }, 'revision number…'),
  ];
  let value = 'off';
  if (follow === 'previous' || follow === 'head') value = follow;
  else if (typeof follow === 'number') {
    const version = versions.find((candidate) => candidate.rev === follow);
    value = version ? `version:${version.id}` : 'revision';
  }
  return { options, value };
}

/**
 * Mark up a compare view (the diff's HTML, shown in `shown`): a title on each formatting
 * or block change (the diff's, else one made from `data-pp-before`), and the notes to
 * list beside it. A removed row counts as one deletion, not as its row, cells and text.
 * @param {HTMLElement} shown
 * @returns {{summary: string, notes: HTMLElement[]}} the counts in words; one button per
 *   change (`data-note` finds its change's `data-pp-note`)
 */
export function changeNotes(shown, from, to) {
  const document = shown.ownerDocument;
  const added = outermost(shown, 'ins, [data-pp-change="ins"]');
  const removed = outermost(shown, 'del, [data-pp-change="del"]');
  const changed = [...shown.querySelectorAll('[data-pp-change="format"], [data-pp-change="block"]')];
  const summary = `${plural(added, 'insertion')}, ${plural(removed, 'deletion')}, `
    + `${plural(changed.length, 'formatting change')} from revision ${from} to ${to}.`;
  const notes = changed.map((marked, index) => {
    const note = marked.getAttribute('title') || describeBefore(marked);
    marked.setAttribute('title', note);
    marked.dataset.ppNote = String(index);
    marked.tabIndex = -1;
    return element(document, 'li', {}, element(document, 'button', { type: 'button', 'data-note': index }, note));
  });
  return { summary, notes };
}

/**
 * What to tell the user when a request failed.
 * @param {{code?: string, message?: string}} error a PolicyPadError, or any error
 * @param {'restore'|'name'|undefined} action what the user asked for
 * @param {string} pad
 * @returns {string}
 */
export function failureText(error, action, pad) {
  switch (error?.code) {
    case 'read_only':
      return action === 'name'
        ? 'You can only read this pad: naming a version needs the right to edit it.'
        : 'You can only read this pad: restoring a revision needs the right to edit it.';
    case 'label_taken':
      return 'This pad already has a version of that name.';
    case 'pad_not_found':
      return `There is no pad "${pad}".`;
    case 'unauthorized':
    case 'token_failed':
      return `You may not see this pad's history (${error.message}).`;
    case 'network':
      return 'The server did not answer. Try again in a moment.';
    default:
      return `That did not work: ${error?.message ?? error}`;
  }
}

/** A time as a datetime-local input's value (local time, to the second). */
export function localInput(time) {
  const date = new Date(time);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** How many elements under `root` match `selector` and are inside no other that does. */
function outermost(root, selector) {
  let count = 0;
  for (const marked of root.querySelectorAll(selector)) {
    const outer = marked.parentElement.closest(selector);
    if (outer === null || !root.contains(outer)) count++;
  }
  return count;
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A value inside a CSS string (`"..."`). */
function cssString(text) {
  return text.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\a ' : `\\${char}`));
}

/**
 * The note of a change the server did not title: what the text or block was before, from
 * its `data-pp-before` (the old attributes, as JSON), as a word processor says it.
 */
function describeBefore(marked) {
  const kind = marked.dataset.ppChange === 'block' ? 'Block' : 'Formatted';
  let before = {};
  try {
    before = JSON.parse(marked.dataset.ppBefore ?? '{}') ?? {};
  } catch {
    // not JSON: say nothing of it
  }
  const parts = Object.entries(before).filter(([key]) => key !== 'author')
    .map(([key, value]) => (value === 'true' ? key : `${key} ${value}`));
  return `${kind}: was ${parts.length ? parts.join(', ') : 'plain'}`;
}
