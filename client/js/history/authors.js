// Who wrote what, for people: names and colors of author ids (`a.<user>`).
//
// The timeline carries ids only. Names come from wherever the pad says who someone is:
// the users connected now, the chat (each message names its author), the viewer's own
// token; colors from the users' own choice where known, else one made from the id, the
// same on every page (as the demo's pad page colors authors it has not seen).

import { safeColor } from '../carets.js';

/** What the server's own edits (the REST API's, restores) are shown as. */
const API_AUTHOR = 'a.api';

/** Names and colors of authors, learned as the page finds them. */
export class Authors {
  constructor() {
    /** @type {Map<string, string>} */
    this._names = new Map([[API_AUTHOR, 'API']]);
    /** @type {Map<string, string>} */
    this._colors = new Map();
  }

  /**
   * Remember what is known of `author` (empty values are ignored).
   * @returns {boolean} whether anything changed
   */
  learn(author, name, color) {
    let changed = false;
    if (typeof author !== 'string' || !author) return false;
    if (typeof name === 'string' && name && this._names.get(author) !== name) {
      this._names.set(author, name);
      changed = true;
    }
    if (typeof color === 'string' && color && this._colors.get(author) !== color) {
      this._colors.set(author, color);
      changed = true;
    }
    return changed;
  }

  /** Learn from the `users` and `chat` endpoints' entries (`{author, name, color?}`). */
  learnAll(entries) {
    let changed = false;
    for (const entry of entries ?? []) changed = this.learn(entry.author, entry.name, entry.color) || changed;
    return changed;
  }

  /**
   * Learn the viewer's own name from their token (its `sub` and `name` claims; the token
   * is only read here, the server checks it).
   */
  learnToken(token) {
    const claims = tokenClaims(token);
    if (claims !== null && typeof claims.sub === 'string') return this.learn(`a.${claims.sub}`, claims.name);
    return false;
  }

  /** A name for `author`: the one learned, else the id without its `a.`. */
  name(author) {
    return this._names.get(author) ?? author.replace(/^a\./, '');
  }

  /** Whether a name was learned for `author`. */
  isNamed(author) {
    return this._names.has(author);
  }

  /** A CSS color for `author`: their own, else one made from the id. */
  color(author) {
    return safeColor(this._colors.get(author), author);
  }
}

/** The claims of a JWT (unverified), or null if it is not one. */
export function tokenClaims(token) {
  if (typeof token !== 'string') return null;
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}
