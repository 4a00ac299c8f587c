// What a document may hold: allowed classes, URL schemes, and the checks on values.
//
// The schema is the host's configuration of the document model (docs/document-model.md):
// a parse keeps only what it allows. Rendering checks URLs again with `cleanUrl` (an AText
// may come from any client) but takes classes as they are: they are escaped, and a client
// need not know the server's class list to show a document.

/** Schemes a link may use; a URL with no scheme (relative, `#frag`, `/path`, `?q`) is allowed too. */
export const LINK_SCHEMES = Object.freeze(['http', 'https', 'mailto']);

/** Schemes an image source may use; relative URLs are allowed too. */
export const IMAGE_SCHEMES = Object.freeze(['http', 'https']);

// Browsers' URL parser ignores ASCII whitespace and control characters around and
// inside a scheme ("java\tscript:" runs script), so the check looks at the URL with
// all of them removed. Entities are already decoded by the HTML parser.
const IGNORED_IN_URL = /[\u0000-\u0020\u007f]+/g;
// The value kept is trimmed of ASCII whitespace only (as the Python twin trims it).
const URL_EDGES = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=]*$/i;
// Python's str.split() separators, so both twins read a class list alike.
const CLASS_SEPARATOR = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;
// Attributes a host may never allow: they run script, load things, or are the model's own.
const RESERVED_ATTRIBUTES = new Set([
  'style', 'href', 'src', 'srcset', 'class', 'data-author', 'action', 'formaction',
  'background', 'poster', 'lowsrc', 'dynsrc', 'ping', 'xmlns', 'is', 'slot',
  'contenteditable', 'autofocus',
]);

/** Model keys of host-allowed HTML attributes: `@title`, `@lang`, `@data-ref`. */
export const EXTRA_PREFIX = '@';

/**
 * Whether an HTML attribute may be allowed by a host (and so rendered).
 * @param {string} name
 * @returns {boolean}
 */
export function isSafeAttributeName(name) {
  return typeof name === 'string' && ATTRIBUTE_NAME.test(name) && !name.startsWith('on')
    && !RESERVED_ATTRIBUTES.has(name);
}

/**
 * The host's document schema.
 *
 * Options (the JSON form the shared test vectors and the Python twin use): `classes`
 * (class names allowed on characters and blocks; default none), `allowDataImages`
 * (accept `data:image/png|jpeg|gif;base64,...` image sources; default false) and
 * `attributes` (further HTML attributes kept, e.g. title, lang, data-ref: model key
 * `@name` on text from inline elements and on lines from block elements).
 *
 * A session also gives its `images` (see images.js): `images.toModel(src)` says what an
 * image source the editor holds stands for in the model (a stored image's URL for a
 * pasted `data:` image, say), or null to refuse it, or undefined to leave it to the rules
 * above. Its answer is trusted: the session made it.
 */
export class Schema {
  /**
   * @param {{classes?: Iterable<string>, allowDataImages?: boolean, attributes?: Iterable<string>,
   *   images?: {toModel: (src: string) => string|null|undefined}}} [options]
   * @throws {RangeError} if `attributes` names one that can never be allowed
   */
  constructor(options = {}) {
    const classes = options.classes ?? [];
    /** @type {ReadonlySet<string>} */
    this.classes = new Set([...classes].filter((name) => typeof name === 'string' && name !== ''));
    /** @type {boolean} */
    this.allowDataImages = Boolean(options.allowDataImages);
    const attributes = [...(options.attributes ?? [])];
    const unsafe = attributes.filter((name) => !isSafeAttributeName(name)).sort();
    if (unsafe.length) throw new RangeError(`these attributes cannot be allowed: ${unsafe.join(', ')}`);
    /** @type {readonly string[]} */
    this.attributes = Object.freeze([...new Set(attributes)].sort());
    /** What image sources stand for in the model (a session's), or null. */
    this.images = options.images ?? null;
    Object.freeze(this);
  }

  /**
   * This schema with `images` (see the class) deciding image sources first.
   * @param {{toModel: (src: string) => string|null|undefined}|null} images
   * @returns {Schema}
   */
  withImages(images) {
    const { classes, allowDataImages, attributes } = this;
    return new Schema({ classes, allowDataImages, attributes, images });
  }

  /**
   * Return the allowed extra attributes of an element as [model key, value] pairs.
   * @param {Element} node
   * @param {(value: string) => string} clean makes a value storable
   * @returns {Array<[string, string]>}
   */
  extraAttributes(node, clean) {
    const found = [];
    for (const name of this.attributes) {
      const value = node.getAttribute(name);
      if (value) {
        const stored = clean(value);
        if (stored) found.push([EXTRA_PREFIX + name, stored]);
      }
    }
    return found;
  }

  /**
   * Return `options` as a Schema (a Schema is returned as is; `options.schema` wins).
   * @param {Schema|object|null|undefined} options
   * @returns {Schema}
   */
  static from(options) {
    if (options instanceof Schema) return options;
    if (options && options.schema instanceof Schema) return options.schema;
    return new Schema(options || {});
  }

  /**
   * Return the allowed classes of a `class` attribute value, sorted and space-separated,
   * or '' when none is allowed.
   * @param {string|null|undefined} value
   * @returns {string}
   */
  filterClasses(value) {
    if (!value || this.classes.size === 0) return '';
    const kept = new Set();
    for (const name of value.split(CLASS_SEPARATOR)) if (this.classes.has(name)) kept.add(name);
    return [...kept].sort(compareCodePoints).join(' ');
  }

  /**
   * Return the trimmed href if links may point to it, else null.
   * @param {string|null|undefined} href
   * @returns {string|null}
   */
  cleanLink(href) {
    return cleanUrl(href, LINK_SCHEMES, false);
  }

  /**
   * Return the trimmed image source if images may load it, else null.
   * @param {string|null|undefined} src
   * @returns {string|null}
   */
  cleanImageSource(src) {
    if (this.images !== null && typeof src === 'string') {
      const mapped = this.images.toModel(src.replace(URL_EDGES, ''));
      if (mapped !== undefined) return mapped;
    }
    return cleanUrl(src, IMAGE_SCHEMES, this.allowDataImages);
  }
}

/**
 * Return the URL trimmed if its scheme is allowed (or it has none), else null.
 * An empty URL is refused: an attribute value cannot be empty in an AText.
 * @param {string|null|undefined} url
 * @param {readonly string[]} schemes
 * @param {boolean} allowDataImages
 * @returns {string|null}
 */
export function cleanUrl(url, schemes, allowDataImages) {
  if (typeof url !== 'string') return null;
  const trimmed = url.replace(URL_EDGES, '');
  if (trimmed === '') return null;
  const bare = trimmed.replace(IGNORED_IN_URL, '');
  const match = SCHEME.exec(bare);
  if (match === null) return trimmed;
  const scheme = match[1].toLowerCase();
  if (schemes.includes(scheme)) return trimmed;
  if (allowDataImages && scheme === 'data' && DATA_IMAGE.test(bare)) return trimmed;
  return null;
}

/**
 * Compare strings by code point (Python's order), not by UTF-16 unit.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareCodePoints(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i);
    const y = b.codePointAt(i);
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
