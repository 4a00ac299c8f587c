// The timeslider: a pad's whole history in one widget. Move over every revision (drag,
// keys, step, play, a date), see who wrote each one and the document as it was, compare
// any two revisions or named versions, restore one, download one.
//
// What makes it fast on a pad of 130,000 revisions: the timeline (every revision's time
// and author) is fetched once and drawn from typed arrays; documents come from snapshots
// and changesets composed forward in the browser (snapshots.js), and are drawn by patching
// only the blocks that differ (document-view.js); a comparison is diffed here too, from
// the two revisions composed. A move asks for nothing it has; moves that come faster than
// they can be drawn (a drag) are coalesced: the newest one wins.
//
// State: `rev` (the revision asked for; the slider shows it at once), `shownRev` (the one
// drawn), `base` (compared with, or null), `playing`. Events (`on(name, handler)`):
// `ready`, `change` ({rev, time, author}, once drawn), `compare` ({from, to}), `play`,
// `pause`, `restore` ({rev, from}), `versions` (the list), `error` (a PolicyPadError).

import { diffLines } from '../document/diff.js';
import { atextToLines } from '../document/lines.js';
import { renderLines } from '../document/render.js';
import { HistoryApi } from './api.js';
import { Authors } from './authors.js';
import { DocumentView } from './document-view.js';
import { readLink, writeLink } from './link.js';
import {
  authorItems, authorRules, changeNotes, compareChoices, failureText, localInput, versionItems, versionMarks,
} from './panels.js';
import { SnapshotCache } from './snapshots.js';
import { drawStrip } from './strip.js';
import { addStyles } from './styles.js';
import { Timeline } from './timeline.js';
import { DEFAULT_SPEED, buildView, element, icon } from './view.js';

/** After the last move, this long before what is around the revision is fetched. */
const SETTLE_MS = 250;
/** After a move, the pages this far back and on are fetched (see _prefetchAround). */
const PREFETCH_REVISIONS = 200;
/** The page's address is updated at most this often while the user moves. */
const LINK_INTERVAL_MS = 200;
/** Revisions a page of `revisions?since=` brings (the server's most). */
const PAGE_REVISIONS = 1000;

/** Download formats: the content endpoint's text, or (`file`) the export endpoint's file. */
const FORMATS = {
  html: { extension: 'html', type: 'text/html' },
  markdown: { extension: 'md', type: 'text/markdown' },
  text: { extension: 'txt', type: 'text/plain' },
  docx: { extension: 'docx', file: true },
  odt: { extension: 'odt', file: true },
  pdf: { extension: 'pdf', file: true },
};

let instances = 0;

/**
 * @typedef {object} HistoryOptions
 * @property {string} [server] the PolicyPad server (default: the page's origin)
 * @property {string} pad the pad's id
 * @property {import('../connection.js').TokenSource} [token] the user's pad token, as for `attach`
 * @property {number} [rev] the revision to show first (default: the link's, else the head)
 * @property {boolean} [link] keep the revision in the page's address (default true)
 * @property {boolean} [authorColors] color the text by author at first (default false)
 * @property {boolean|number} [preload] fetch the whole history in the background once the
 *   first revision is shown, so that every move is fast (default true; false: fetch only
 *   what moves need; a number: only for pads of at most that many revisions). It costs
 *   every changeset once: 17 MB for a pad of 130,000 revisions.
 */

/** The controller of one timeslider: see the module comment. */
export class Timeslider {
  /**
   * Build the widget into `target` and start loading; `ready` resolves once the first
   * revision is drawn.
   * @param {HTMLElement} target
   * @param {HistoryOptions} options
   */
  constructor(target, options) {
    if (!options?.pad) throw new TypeError('history: options.pad is required');
    this.options = options;
    this.target = target;
    this.window = target.ownerDocument.defaultView;
    this.api = new HistoryApi(options);
    this.authors = new Authors();
    this.cache = new SnapshotCache({
      atext: (rev) => this.api.content(rev, 'atext'),
      revisions: (since, limit) => this.api.revisions(since, limit),
    });
    /** @type {Timeline|null} */
    this.timeline = null;
    /** @type {Array<{id: number, rev: number, label: string, note: string, author: string, time: number}>} */
    this.versions = [];
    this.rev = null;
    this.shownRev = null;
    this.base = null;
    /** What compare-with follows: 'previous' and 'head' move along; a number stays. */
    this._follow = null;
    this.playing = false;
    this._handlers = new Map();
    this._drawing = null;
    this._destroyed = false;
    this._id = ++instances;
    addStyles(target.ownerDocument);
    this.ui = buildView(target, options);
    this.ui.root.dataset.ppHistory = String(this._id);
    this.view = new DocumentView(this.ui.document, { authors: true });
    this._authorStyle = element(target.ownerDocument, 'style', {});
    this.ui.root.prepend(this._authorStyle);
    this.ui.authorColors.checked = Boolean(options.authorColors);
    this._wire();
    this.ready = this._start();
    this.ready.catch(() => {}); // reported through `error` and the message
    /** Resolves once the whole history is held (see `preload` in the options). */
    this.preloaded = this.ready.then(() => this._preload());
    this.preloaded.catch(() => {});
  }

  // -- events ------------------------------------------------------------------------------

  /** Call `handler` on every `event` (see the module comment); returns this. */
  on(event, handler) {
    if (!this._handlers.has(event)) this._handlers.set(event, new Set());
    this._handlers.get(event).add(handler);
    return this;
  }

  /** Stop calling `handler` on `event`; returns this. */
  off(event, handler) {
    this._handlers.get(event)?.delete(handler);
    return this;
  }

  _emit(event, value) {
    for (const handler of this._handlers.get(event) ?? []) handler(value);
  }

  // -- moving ------------------------------------------------------------------------------

  /** The newest revision. */
  get head() {
    return this.timeline?.head ?? 0;
  }

  /**
   * Show revision `rev` (clamped to the history); a move stops playing. Resolves once it,
   * or a revision asked for after it, is drawn.
   * @param {number} rev
   * @returns {Promise<void>}
   */
  async goTo(rev) {
    await this.ready;
    this.pause();
    this._moveTo(rev);
    return this._draw();
  }

  /** Move `delta` revisions (negative: back). */
  step(delta) {
    return this.goTo((this.rev ?? 0) + delta);
  }

  /** Show the revision in effect at `time` (ms since 1970): the newest stored at or before it. */
  async goToTime(time) {
    await this.ready;
    return this.goTo(this.timeline.revisionAt(time));
  }

  /**
   * Play the history forward from the revision shown (from the first if at the head), at
   * `speed` revisions a second (default: the speed chosen in the widget).
   */
  async play(speed) {
    await this.ready;
    if (this.playing) return;
    if (speed !== undefined) this.ui.speed.value = String(speed);
    if (this.rev >= this.head) this._moveTo(0);
    this.playing = true;
    this._setPlayButton();
    const startRev = this.rev;
    const started = performance.now();
    const tick = () => {
      if (!this.playing) return;
      const rate = Number(this.ui.speed.value) || DEFAULT_SPEED;
      const target = Math.min(this.head, startRev + Math.floor(((performance.now() - started) / 1000) * rate));
      if (target !== this.rev) {
        this._moveTo(target);
        this.cache.prefetch(Math.min(this.head, target + PAGE_REVISIONS / 2));
        this._draw().catch(() => this.pause());
      }
      if (target >= this.head) this.pause();
      else this._timer = this.window.setTimeout(tick, 1000 / Math.min(rate, 30));
    };
    this._emit('play', { rev: this.rev });
    tick();
  }

  /** Stop playing (the revision reached stays shown). */
  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.window.clearTimeout(this._timer);
    this._setPlayButton();
    this._emit('pause', { rev: this.rev });
  }

  /** Play if paused, pause if playing. */
  toggle() {
    return this.playing ? this.pause() : this.play();
  }

  /**
   * Compare two revisions: show `b` with what changed between them marked (from the
   * older to the newer). `compare(null)` ends comparing.
   * @param {number|null} a
   * @param {number} [b] default: the revision shown
   */
  async compare(a, b) {
    await this.ready;
    if (a === null || a === undefined) {
      this._follow = null;
      this.base = null;
    } else {
      this._follow = this._clamp(a);
      this.base = this._follow;
    }
    this._moveTo(b ?? this.rev);
    this._syncCompareSelect();
    return this._draw();
  }

  _moveTo(rev) {
    const next = this._clamp(rev);
    this.rev = next;
    if (this._follow === 'previous') this.base = Math.max(0, next - 1);
    else if (this._follow === 'head') this.base = this.head;
    this.ui.slider.value = String(next);
    this._describeRevision();
    this._linkSoon();
    this.window.clearTimeout(this._settle);
    this._settle = this.window.setTimeout(() => this._prefetchAround(), SETTLE_MS);
  }

  /**
   * Put the view into the page's address, at most every LINK_INTERVAL_MS (browsers ignore
   * history updates that come faster for long, as a scrub or play would send them); the
   * last one is always written.
   */
  _linkSoon() {
    if (this.options.link === false || this._linkTimer !== undefined) return;
    const delay = Math.max(0, LINK_INTERVAL_MS - (performance.now() - (this._linked ?? -Infinity)));
    this._linkTimer = this.window.setTimeout(() => {
      this._linkTimer = undefined;
      this._linked = performance.now();
      if (!this._destroyed) writeLink(this.window, { rev: this.rev, compare: this.base });
    }, delay);
  }

  _clamp(rev) {
    const number = Math.round(Number(rev));
    return Number.isFinite(number) ? Math.min(Math.max(number, 0), this.head) : 0;
  }

  /** Draw the newest view asked for; one loop at a time, which picks up later asks. */
  _draw() {
    if (this._drawing === null) {
      this._drawing = this._drawLoop().finally(() => {
        this._drawing = null;
      });
    }
    return this._drawing;
  }

  async _drawLoop() {
    while (!this._destroyed) {
      const rev = this.rev;
      const base = this.base;
      if (rev === this.shownRev && base === this._shownBase) return;
      try {
        if (base === null) {
          const atext = await this.cache.atextAt(rev);
          this.view.show(atext, this.cache.pool);
        } else {
          const [from, to] = base <= rev ? [base, rev] : [rev, base];
          const [older, newer] = await Promise.all([this.cache.atextAt(from), this.cache.atextAt(to)]);
          if (this.rev !== rev || this.base !== base) continue; // stale: the newest is asked next
          this.view.showHTML(compareHTML(older, newer, this.cache.pool));
          const { summary, notes } = changeNotes(this.ui.document, from, to);
          this.ui.changesSummary.textContent = summary;
          this.ui.changesList.replaceChildren(...notes);
        }
      } catch (error) {
        this._fail(error);
        throw error;
      }
      this.shownRev = rev;
      this._shownBase = base;
      this._afterDraw();
    }
  }

  _afterDraw() {
    const { root, caption, changes } = this.ui;
    const rev = this.shownRev;
    root.dataset.shownRev = String(rev);
    if (this._shownBase === null) delete root.dataset.compare;
    else root.dataset.compare = String(this._shownBase);
    changes.hidden = this._shownBase === null;
    if (this._shownBase === null) {
      caption.textContent = `Revision ${rev}, ${this._when(rev)}, by ${this.authors.name(this.timeline.authorOf(rev))}`;
    } else {
      const [from, to] = this._shownBase <= rev ? [this._shownBase, rev] : [rev, this._shownBase];
      caption.textContent = `Changes from ${this._revisionName(from)} to ${this._revisionName(to)}`;
    }
    this.ui.document.setAttribute('aria-label', caption.textContent);
    for (const item of this.ui.versions.querySelectorAll('button[data-rev]')) {
      item.setAttribute('aria-current', String(Number(item.dataset.rev) === rev));
    }
    const time = this.timeline.timeOf(rev);
    const author = this.timeline.authorOf(rev);
    if (this._shownBase === null) this._emit('change', { rev, time, author });
    else this._emit('compare', { from: Math.min(rev, this._shownBase), to: Math.max(rev, this._shownBase) });
  }

  _revisionName(rev) {
    const version = this.versions.find((candidate) => candidate.rev === rev);
    const name = version ? `“${version.label}” (revision ${rev})` : `revision ${rev}`;
    return rev === this.head && !version ? `the latest revision (${rev})` : name;
  }

  /**
   * Once the user stops moving, fetch what composing the revisions around this one needs
   * (a jump fetched this document alone): then steps and short moves only compute.
   */
  _prefetchAround() {
    if (this._destroyed || this.base !== null) return;
    const rev = this.rev;
    for (const near of [rev - 1, rev - PREFETCH_REVISIONS, rev + PREFETCH_REVISIONS]) {
      this.cache.prefetch(Math.min(Math.max(near, 0), this.head));
    }
  }

  // -- restore, export, versions -----------------------------------------------------------

  /**
   * Make revision `rev` (default: the one shown) the pad's content again, as a new
   * revision (the history keeps everything). Needs an edit token; a read-only one gets a
   * message saying so, and the promise rejects with the PolicyPadError (`read_only`).
   * @returns {Promise<number>} the new revision
   */
  async restore(rev) {
    await this.ready;
    const from = this._clamp(rev ?? this.rev);
    let result;
    try {
      result = await this.api.restore(from);
    } catch (error) {
      this._fail(error, 'restore');
      throw error;
    }
    await this.refresh();
    this._follow = null;
    this.base = null;
    this._syncCompareSelect();
    await this.goTo(result.rev);
    this._say(`Revision ${from} was restored as revision ${result.rev}.`, 'done');
    this._emit('restore', { rev: result.rev, from });
    return result.rev;
  }

  /**
   * Download revision `rev` (default: the one shown) as a file.
   * @param {'html'|'markdown'|'text'|'docx'|'odt'|'pdf'} [format] default: the one chosen
   *   in the widget
   * @returns {Promise<Blob>} what was downloaded
   */
  async download(format, rev) {
    await this.ready;
    const asked = format ?? this.ui.format.value;
    const kind = Object.hasOwn(FORMATS, asked) ? asked : 'html';
    const { extension, type, file } = FORMATS[kind];
    const at = this._clamp(rev ?? this.rev);
    let blob;
    try {
      // office files and PDF are written by the server (GET /export); text formats come
      // from the content endpoint, as the REST API's other readers get them
      if (file) blob = await this.api.exportFile(at, kind);
      else {
        let body = (await this.api.content(at, kind))[kind];
        const title = `${this.options.pad}, revision ${at}`;
        if (kind === 'html') {
          body = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeText(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
        }
        blob = new Blob([body], { type: `${type};charset=utf-8` });
      }
    } catch (error) {
      this._fail(error);
      throw error;
    }
    const link = element(this.target.ownerDocument, 'a', {
      href: URL.createObjectURL(blob), download: `${this.options.pad}-revision-${at}.${extension}`, hidden: true,
    });
    this.ui.root.append(link);
    link.click();
    link.remove();
    this.window.setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    return blob;
  }

  /** Give revision `rev` (default: the one shown) a name; needs an edit token. */
  async nameVersion(label, rev) {
    await this.ready;
    try {
      await this.api.addVersion(this._clamp(rev ?? this.rev), label);
    } catch (error) {
      this._fail(error, 'name');
      throw error;
    }
    await this._loadVersions();
  }

  /** Fetch what was stored since the timeslider opened (revisions, versions). */
  async refresh() {
    await this.ready;
    for (;;) {
      const found = await this.api.revisions(this.head + 1, PAGE_REVISIONS);
      this.timeline.extend(found);
      if (found.length < PAGE_REVISIONS) break;
    }
    this.ui.slider.max = String(this.head);
    this._drawTimeline();
    await this._loadVersions();
  }

  /** Take the widget out of the page. */
  destroy() {
    this.pause();
    this._destroyed = true;
    this.window.clearTimeout(this._settle);
    this.window.clearTimeout(this._linkTimer);
    this.window.removeEventListener('hashchange', this._onHash);
    this._resize?.disconnect();
    this.target.replaceChildren();
    this._handlers.clear();
  }

  // -- start -------------------------------------------------------------------------------

  async _start() {
    this.ui.root.dataset.state = 'loading';
    try {
      const token = await this.api.token().catch(() => undefined);
      this.authors.learnToken(token);
      const asked = this.options.link === false ? { rev: null, compare: null } : readLink(this.window.location);
      // the first revision's document comes with the timeline, not after it (a revision
      // past the head is refused: then it is composed once the head is known)
      const first = asked.compare === null
        ? this.api.content(asked.rev ?? this.options.rev ?? null, 'atext').catch(() => null)
        : Promise.resolve(null);
      const [timeline, versions, body] = await Promise.all([this.api.timeline(), this.api.versions(), first]);
      this.timeline = new Timeline(timeline);
      this.versions = versions;
      if (body !== null && body.rev <= this.head) this.cache.add(body.rev, body);
      this._learnNames();
      const rev = this._clamp(asked.rev ?? this.options.rev ?? this.head);
      const { slider, date } = this.ui;
      slider.max = String(this.head);
      slider.disabled = false;
      date.min = localInput(this.timeline.timeOf(0));
      this._drawTimeline();
      this._showVersions();
      this.ui.root.dataset.state = 'ready';
      if (asked.compare !== null) {
        this._follow = this._clamp(asked.compare);
        this.base = this._follow;
      }
      this._syncCompareSelect();
      this._moveTo(rev);
      await this._draw();
      this._emit('ready', { rev, head: this.head });
    } catch (error) {
      this.ui.root.dataset.state = 'failed';
      this._fail(error);
      throw error;
    }
  }

  /**
   * Fetch the whole history in the background, a page at a time, and compute a snapshot
   * at every page's end (snapshots.js, `preload`): then any move only composes a few
   * changesets. One request at a time, after the first revision is drawn, yielding to the
   * page between pages.
   */
  async _preload() {
    const wanted = this.options.preload ?? true;
    if (wanted === false || (typeof wanted === 'number' && this.head > wanted)) return;
    await this.cache.preload(this.head, () => new Promise((resolve, reject) => {
      this.window.setTimeout(() => (this._destroyed ? reject(new Error('destroyed')) : resolve()), 0);
    }));
    this.ui.root.dataset.preloaded = 'true';
  }

  /** Names for author ids, from the users here now and the chat; drawn again if any came. */
  _learnNames() {
    Promise.allSettled([this.api.users(), this.api.chat()]).then((results) => {
      let changed = false;
      for (const result of results) if (result.status === 'fulfilled') changed = this.authors.learnAll(result.value) || changed;
      if (changed && !this._destroyed && this.timeline !== null) {
        this._drawTimeline();
        this._describeRevision();
        if (this.shownRev !== null) this._afterDraw();
      }
    });
  }

  async _loadVersions() {
    this.versions = await this.api.versions();
    this._showVersions();
    this._syncCompareSelect();
    this._emit('versions', this.versions);
  }

  // -- drawing the controls ----------------------------------------------------------------

  /** The strip of authors, the authors list and their colors in the document. */
  _drawTimeline() {
    const { timeline, authors, ui } = this;
    drawStrip(ui.strip, timeline, (author) => authors.color(author));
    ui.authors.replaceChildren(...authorItems(this.target.ownerDocument, timeline, authors));
    const scope = `.pp-history[data-pp-history="${this._id}"] .pp-history-authors-on`;
    this._authorStyle.textContent = authorRules(scope, timeline.authors, authors);
    ui.document.classList.toggle('pp-history-authors-on', ui.authorColors.checked);
    this._placeMarks();
  }

  _showVersions() {
    const formatTime = (time) => this._formatTime(time);
    this.ui.versions.replaceChildren(...versionItems(this.target.ownerDocument, this.versions, formatTime, this.authors));
    this._placeMarks();
  }

  /** A mark over the slider for each named version. */
  _placeMarks() {
    if (this.timeline === null) return;
    this.ui.marks.replaceChildren(...versionMarks(this.target.ownerDocument, this.versions, this.head));
  }

  /** The compare-with select (and the number beside it) as the comparison now is. */
  _syncCompareSelect() {
    const { compare, compareRev } = this.ui;
    const { options, value } = compareChoices(this.target.ownerDocument, this.versions, this._follow);
    compare.replaceChildren(...options);
    compare.value = value;
    if (value === 'revision') compareRev.value = String(this._follow);
    compareRev.hidden = value !== 'revision';
  }

  _setPlayButton() {
    const { play } = this.ui;
    // the name says what a press does (a media player's way; not a toggle's aria-pressed,
    // whose name would stay "Play" while the button shows "Pause")
    play.setAttribute('aria-label', this.playing ? 'Pause' : 'Play');
    play.title = this.playing ? 'Pause' : 'Play';
    play.replaceChildren(icon(this.target.ownerDocument, this.playing ? 'pause' : 'play'), this.playing ? ' Pause' : ' Play');
    this.ui.root.dataset.playing = String(this.playing);
  }

  /** The revision asked for, in words: beside the buttons and for screen readers. */
  _describeRevision() {
    const rev = this.rev;
    if (rev === null || this.timeline === null) return;
    const author = this.timeline.authorOf(rev);
    const name = this.authors.name(author);
    const when = this._when(rev);
    this.ui.whereText.textContent = `Revision ${rev} of ${this.head} · ${when} · ${name}`;
    this.ui.whereSwatch.style.backgroundColor = this.authors.color(author);
    this.ui.slider.setAttribute('aria-valuetext', `Revision ${rev} of ${this.head}, ${when}, by ${name}`);
    this.ui.root.dataset.rev = String(rev);
    this.ui.back.disabled = rev <= 0;
    this.ui.first.disabled = rev <= 0;
    this.ui.forward.disabled = rev >= this.head;
    if (this.ui.date !== this.target.ownerDocument.activeElement) this.ui.date.value = localInput(this.timeline.timeOf(rev));
  }

  _when(rev) {
    return this._formatTime(this.timeline.timeOf(rev));
  }

  _formatTime(time) {
    this._dates ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    return this._dates.format(new Date(time));
  }

  // -- messages ----------------------------------------------------------------------------

  _say(text, kind = 'error') {
    const { message } = this.ui;
    message.textContent = text;
    message.dataset.kind = kind;
    message.hidden = !text;
  }

  _fail(error, action) {
    this._say(failureText(error, action, this.options.pad));
    this._emit('error', error);
  }

  // -- wiring ------------------------------------------------------------------------------

  _wire() {
    const { ui } = this;
    const fail = () => {}; // failures are shown by _fail
    ui.slider.addEventListener('input', () => this.goTo(Number(ui.slider.value)).catch(fail));
    ui.first.addEventListener('click', () => this.goTo(0).catch(fail));
    ui.back.addEventListener('click', () => this.step(-1).catch(fail));
    ui.forward.addEventListener('click', () => this.step(1).catch(fail));
    ui.last.addEventListener('click', () => this.refresh().then(() => this.goTo(this.head)).catch(fail));
    ui.play.addEventListener('click', () => this.toggle());
    ui.jump.addEventListener('submit', (event) => {
      event.preventDefault();
      const time = new Date(ui.date.value).getTime();
      if (Number.isFinite(time)) this.goToTime(time).catch(fail);
      else this._say('Give a date and time to go to.');
    });
    ui.compare.addEventListener('change', () => this._compareChosen());
    ui.compareRev.addEventListener('change', () => this._compareChosen());
    ui.restore.addEventListener('click', () => this.restore().catch(fail));
    ui.export.addEventListener('click', () => this.download().catch(fail));
    ui.authorColors.addEventListener('change', () => {
      ui.document.classList.toggle('pp-history-authors-on', ui.authorColors.checked);
    });
    ui.name.addEventListener('submit', (event) => {
      event.preventDefault();
      const label = ui.label.value.trim();
      if (!label) return;
      this.nameVersion(label).then(() => {
        ui.label.value = '';
        this._say(`Revision ${this.rev} is now named “${label}”.`, 'done');
      }, fail);
    });
    ui.versions.addEventListener('click', (event) => {
      const chosen = event.target.closest('button[data-rev]');
      if (chosen) this.goTo(Number(chosen.dataset.rev)).catch(fail);
    });
    ui.marks.addEventListener('click', (event) => {
      const chosen = event.target.closest('button[data-rev]');
      if (chosen) this.goTo(Number(chosen.dataset.rev)).catch(fail);
    });
    ui.changesList.addEventListener('click', (event) => {
      const chosen = event.target.closest('button[data-note]');
      const marked = chosen && ui.document.querySelector(`[data-pp-note="${chosen.dataset.note}"]`);
      if (marked) {
        marked.scrollIntoView({ block: 'center' });
        marked.focus();
      }
    });
    // Space plays and pauses wherever it does nothing else (not on buttons or fields)
    ui.root.addEventListener('keydown', (event) => {
      if (event.key !== ' ' || event.ctrlKey || event.altKey || event.metaKey) return;
      const on = event.target;
      if (on !== ui.slider && on !== ui.document && on !== ui.root && !ui.document.contains(on)) return;
      event.preventDefault();
      this.toggle();
    });
    this._onHash = () => {
      const asked = readLink(this.window.location);
      if (asked.rev === null || (asked.rev === this.rev && asked.compare === this.base)) return;
      this.compare(asked.compare, asked.rev).catch(fail);
    };
    if (this.options.link !== false) this.window.addEventListener('hashchange', this._onHash);
    if (typeof this.window.ResizeObserver === 'function') {
      this._resize = new this.window.ResizeObserver(() => {
        if (this.timeline !== null) drawStrip(ui.strip, this.timeline, (author) => this.authors.color(author));
      });
      this._resize.observe(ui.strip);
    }
  }

  _compareChosen() {
    const { compare, compareRev } = this.ui;
    const value = compare.value;
    compareRev.hidden = value !== 'revision';
    let follow = null;
    if (value === 'previous' || value === 'head') follow = value;
    else if (value.startsWith('version:')) {
      follow = this.versions.find((version) => `version:${version.id}` === value)?.rev ?? null;
    } else if (value === 'revision') {
      if (compareRev.value === '') {
        compareRev.value = String(Math.max(0, this.rev - 1));
        compareRev.focus();
      }
      follow = this._clamp(compareRev.value);
    }
    this._follow = follow;
    this.base = typeof follow === 'number' ? follow : null;
    this._moveTo(this.rev); // sets a moving base, the link and the labels
    this._draw().catch(() => {});
  }
}

/**
 * The change from `older` to `newer` as HTML, computed here from the revisions the widget
 * composes (no request): the structure-aware diff of document/diff.js, the twin of the
 * server's `GET /diff`, which gives the same HTML.
 * @param {import('../changeset.js').AText} older
 * @param {import('../changeset.js').AText} newer
 * @param {import('../changeset.js').AttributePool} pool the pool both cite
 * @returns {string}
 */
function compareHTML(older, newer, pool) {
  return renderLines(diffLines(atextToLines(older, pool), atextToLines(newer, pool)));
}

function escapeText(text) {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]);
}
