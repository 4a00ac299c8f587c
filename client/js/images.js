// A session's images: what an image source in the editor stands for in the model, and back.
//
// The model never holds a picture's bytes: a pasted `data:` image (or the `blob:` URL an
// editor such as TinyMCE makes of one) is uploaded to the pad (POST /api/pads/{id}/images)
// and the model holds the URL the server answers, `/api/pads/{id}/images/{sha256}`.
//
// The upload takes a moment, and the paste must be in the model at once (the user goes on
// typing around it). So, meanwhile, the model holds a short local placeholder (never the
// data itself: the pool travels with every commit) and the session keeps its local
// changes back (`hold`): nothing with a placeholder ever leaves. When the upload ends, the
// session swaps the placeholder for the URL (or, if the server refused the image, for the
// image's alt text, with an `error` event saying why) and lets the changes go: the server
// only ever sees the composed change, with the URL.
//
// Towards the editor, a stored image's path becomes an absolute URL on the server (the
// page may be on another origin, and editors make relative URLs absolute against the
// page) with the pad's image access token (an <img> sends no Authorization header); read
// back, that URL is the model's path again.

import { Builder } from './changeset.js';
import { attribsToPairs, pairsToAttribs } from './changeset/attributes.js';
import { pack, unpack } from './changeset/core.js';
import { OpAssembler, attribNumbers, parseOps } from './changeset/ops.js';
import { cleanUrl, IMAGE_SCHEMES } from './document/schema.js';

/** Sources that hold the picture itself (or point into this page's memory): uploaded. */
const LOCAL_IMAGE = /^(?:data:image\/|blob:)/i;
const DIGEST = /^[0-9a-f]{64}$/;
/** The placeholder a pending image has in the model (its number follows). */
const PLACEHOLDER = 'policypad-pending-image:';
/** An image's own attributes: what its alt text, standing in for it, does not keep. */
const IMAGE_KEYS = new Set(['embed', 'src', 'alt', 'width', 'height']);
/** A failed upload (network, a busy server) is tried again after this, doubling up to the next. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;
/** Answers worth trying again: the server was busy or is restarting. */
const RETRY_STATUS = new Set([429, 500, 503, 504]);

/**
 * @typedef {object} PendingImage
 * @property {'pending'|'stored'|'refused'} state
 * @property {string} placeholder what the model holds while the upload runs
 * @property {string|null} url the model's URL once stored
 */

export class PadImages {
  /**
   * @param {{server: string, pad: string, token?: import('./connection.js').TokenSource,
   *   hold: () => () => void, settled: (placeholder: string, url: string|null,
   *   error: {code: string, message: string}|null) => void}} options
   *   `hold` keeps the session's local changes back until the function it returns is
   *   called; `settled` is called when an upload ends, before the changes go: the model's
   *   `placeholder` becomes `url` (stored) or goes (`error`: why the server refused it)
   */
  constructor(options) {
    this.options = options;
    const base = new URL(options.server, globalThis.location?.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    /** The server's address, ending with a slash. */
    this.base = base.href;
    const pad = encodeURIComponent(options.pad);
    /** What a stored image's URL starts with in the model, and in the editor. */
    this.modelPrefix = `/api/pads/${pad}/images/`;
    this.editorPrefix = `${this.base}api/pads/${pad}/images/`;
    /** The pad's image access token (from `joined`), for <img> to read the images. */
    this.accessToken = null;
    /** @type {Map<string, PendingImage>} by the editor's source */
    this._bySource = new Map();
    /** @type {Map<string, string>} the editor's source, by placeholder */
    this._byPlaceholder = new Map();
    /** @type {Map<string, string>} a stored image's URL, by the placeholder it had */
    this._stored = new Map();
    /** @type {Set<string>} the placeholders of the images the server refused */
    this._refused = new Set();
    this._stopped = false;
  }

  /** Stop: uploads under way end without touching the model. */
  stop() { this._stopped = true; }

  /**
   * What an image source the editor holds stands for in the model: a stored image's URL,
   * a placeholder while a pasted image uploads (the upload starts here), null for a pasted
   * image the server refused, undefined for any other source (the schema's rules decide).
   * @param {string} src trimmed
   * @returns {string|null|undefined}
   */
  toModel(src) {
    if (LOCAL_IMAGE.test(src)) {
      let image = this._bySource.get(src);
      if (image === undefined) image = this._upload(src);
      if (image.state === 'stored') return image.url;
      return image.state === 'refused' ? null : image.placeholder;
    }
    if (src.startsWith(this.modelPrefix)) return DIGEST.test(src.slice(this.modelPrefix.length)) ? src : undefined;
    let url;
    try {
      url = new URL(src, globalThis.location?.href ?? this.base);
    } catch {
      return undefined;
    }
    const path = `${url.origin}${url.pathname}`;
    if (path.startsWith(this.editorPrefix) && DIGEST.test(path.slice(this.editorPrefix.length))) {
      return this.modelPrefix + path.slice(this.editorPrefix.length);
    }
    return undefined;
  }

  /**
   * What the editor is given for an image source of the model: a stored image's absolute
   * URL with the access token, a pending image's own source, or the source if it is safe.
   * @param {string} src
   * @returns {string|null}
   */
  toEditor(src) {
    const local = this._byPlaceholder.get(src);
    if (local !== undefined) return local;
    if (src.startsWith(this.modelPrefix)) {
      const digest = src.slice(this.modelPrefix.length);
      if (DIGEST.test(digest)) {
        const access = this.accessToken ? `?access=${encodeURIComponent(this.accessToken)}` : '';
        return `${this.editorPrefix}${digest}${access}`;
      }
    }
    return cleanUrl(src, IMAGE_SCHEMES, true);
  }

  /**
   * `changeset` (in `pool`) with the URL in place of every stored image's placeholder,
   * and the alt text in place of every image the server refused. The swap when an upload
   * ends reaches only what the model holds then: an image the user took out meanwhile and
   * brings back (redo) would bring its placeholder back, which no other editor can show
   * and the server refuses (it is no URL), and with it the commit holding whatever else
   * the user typed.
   * @param {string} changeset
   * @param {import('./changeset.js').AttributePool} pool
   * @returns {string}
   */
  resolve(changeset, pool) {
    if (this._stored.size === 0 && this._refused.size === 0) return changeset;
    const parsed = unpack(changeset);
    const assembler = new OpAssembler();
    let bank = '';
    let banked = 0; // chars of parsed.charBank read so far
    let growth = 0;
    let changed = false;
    for (const op of parsed.ops) {
      const text = op.opcode === '+' ? parsed.charBank.slice(banked, banked + op.chars) : '';
      banked += text.length;
      const pairs = op.attribs ? attribsToPairs(op.attribs, pool) : [];
      const src = pairs.find(([key]) => key === 'src')?.[1];
      if (src !== undefined && this._stored.has(src)) {
        const url = this._stored.get(src);
        assembler.append({ ...op, attribs: pairsToAttribs(pairs.map((pair) => (pair[0] === 'src' ? ['src', url] : pair)), pool) });
        bank += text;
        changed = true;
      } else if (src !== undefined && this._refused.has(src) && op.opcode === '+') {
        // as the swap does: the image's alt text, with the text attributes it had
        const [alt, rest] = imageAsText(pairs);
        const inserted = alt.repeat(op.chars);
        if (inserted) assembler.append({ opcode: '+', chars: inserted.length, lines: 0, attribs: pairsToAttribs(rest, pool) });
        bank += inserted;
        growth += inserted.length - op.chars;
        changed = true;
      } else {
        assembler.append(op);
        bank += text;
      }
    }
    if (!changed) return changeset;
    return pack(parsed.oldLen, parsed.newLen + growth, assembler.toOps(), bank);
  }

  /** Whether an upload is under way. */
  get pending() {
    for (const image of this._bySource.values()) if (image.state === 'pending') return true;
    return false;
  }

  /** Start uploading `src`; returns its entry (pending). */
  _upload(src) {
    const placeholder = `${PLACEHOLDER}${this._byPlaceholder.size + 1}`;
    /** @type {PendingImage} */
    const image = { state: 'pending', placeholder, url: null };
    this._bySource.set(src, image);
    this._byPlaceholder.set(placeholder, src);
    const release = this.options.hold();
    this._send(src).then((answer) => {
      if (this._stopped) return;
      if (answer.url !== undefined) {
        image.state = 'stored';
        image.url = answer.url;
        this._stored.set(placeholder, answer.url);
      } else {
        image.state = 'refused';
        this._refused.add(placeholder);
      }
      this.options.settled(placeholder, image.url, answer.error ?? null);
    }).finally(release);
    return image;
  }

  /**
   * Upload the picture `src` holds; resolves with {url} or {error: {code, message}}. A
   * network failure or a busy server is tried again until the session stops.
   */
  async _send(src) {
    let body;
    try {
      body = await (await fetch(src)).blob();
    } catch (error) {
      return { error: { code: 'bad_data_url', message: `the pasted image could not be read: ${error?.message ?? error}` } };
    }
    let delay = RETRY_FIRST_MS;
    for (;;) {
      if (this._stopped) return { error: { code: 'detached', message: 'the session ended' } };
      let response = null;
      try {
        const headers = {};
        const token = await this._token();
        if (token) headers.Authorization = `Bearer ${token}`;
        response = await fetch(`${this.editorPrefix.slice(0, -1)}`, { method: 'POST', body, headers });
      } catch {
        response = null; // the network: try again
      }
      if (response !== null && !RETRY_STATUS.has(response.status)) {
        const answer = await response.json().catch(() => null);
        if (response.ok && typeof answer?.url === 'string') return { url: answer.url };
        const code = answer?.error?.code ?? `http_${response.status}`;
        const message = answer?.error?.message ?? `the server answered ${response.status}`;
        return { error: { code, message: `the pasted image was not kept: ${message}` } };
      }
      await new Promise((resolve) => { setTimeout(resolve, delay); });
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  /** The session's token now (a token, or what its function gives). */
  async _token() {
    const token = this.options.token;
    return typeof token === 'function' ? token() : token;
  }
}

/**
 * The change that gives every image of `atext` whose source is `placeholder` its stored
 * `url`, or, with `url` null, puts the image's alt text (if any) in its place, with the
 * text attributes the image had (as a parse does with an image it refuses). Null if no
 * image has that source (the user deleted it meanwhile).
 * @param {import('./changeset.js').AText} atext
 * @param {import('./changeset.js').AttributePool} pool
 * @param {string} placeholder
 * @param {string|null} url
 * @returns {string|null}
 */
export function replaceImage(atext, pool, placeholder, url) {
  const num = pool.putAttrib(['src', placeholder], true);
  if (num < 0) return null;
  const builder = new Builder(atext.length);
  let position = 0;
  let kept = 0;
  let found = false;
  for (const op of parseOps(atext.attribs)) {
    if (attribNumbers(op.attribs).includes(num)) {
      found = true;
      builder.keepText(atext.text.slice(kept, position));
      if (url !== null) {
        builder.keep(op.chars, 0, [['src', url]], pool);
      } else {
        const [alt, rest] = imageAsText(attribsToPairs(op.attribs, pool));
        for (let i = 0; i < op.chars; i++) {
          builder.remove(1);
          if (alt) builder.insert(alt, rest, pool);
        }
      }
      kept = position + op.chars;
    }
    position += op.chars;
  }
  return found ? builder.toString() : null;
}

/**
 * What an image becomes as text: its alt text on one line, and the attributes of its
 * that text keeps (bold, a link...).
 * @param {Array<[string, string]>} pairs the image's attributes
 * @returns {[string, Array<[string, string]>]}
 */
function imageAsText(pairs) {
  const alt = (pairs.find(([key]) => key === 'alt')?.[1] ?? '').replace(/[\r\n]+/g, ' ');
  return [alt, pairs.filter(([key]) => !IMAGE_KEYS.has(key))];
}
