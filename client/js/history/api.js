// The history endpoints of the REST API, as a browser widget calls them: with the user's
// pad token (`Authorization: Bearer <token>`, the WebSocket's JWT), across origins where
// the server lists the page's (CORS). A token may be a string or a function giving one
// (as `attach` takes it): the function is asked once, and again when the server says the
// token no longer holds (401), so short-lived tokens work. Without a token (an open
// server) requests carry none.
//
// Failures are PolicyPadErrors whose `code` is the server's (`read_only`,
// `revision_not_found`, `unauthorized`, ...) or `network` when no answer came.

import { PolicyPadError } from '../connection.js';

/** The REST calls of one pad's history. */
export class HistoryApi {
  /**
   * @param {{server?: string, pad: string, token?: import('../connection.js').TokenSource,
   *   fetch?: typeof fetch}} options `server`: the server's address (default: the page's
   *   origin); `fetch`: for tests
   */
  constructor(options) {
    const base = new URL(options.server ?? globalThis.location.origin, globalThis.location?.href);
    this.base = `${base.origin}${base.pathname.replace(/\/$/, '')}/api/pads/${encodeURIComponent(options.pad)}`;
    this._token = options.token;
    this._fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    /** @type {Promise<string|undefined>|null} */
    this._current = null;
  }

  /** The token requests carry (undefined without one); a token function is asked once. */
  token() {
    return this._tokenOnce(false);
  }

  /** The pad: `{id, rev, created, updated, authors, deleted}`. */
  pad() {
    return this._get('');
  }

  /** Every revision's time and author (see timeline.js). */
  timeline() {
    return this._get('/timeline');
  }

  /**
   * The document at `rev` (null: the head) in `format`, with its revision number: `{rev,
   * atext: {text, attribs}, pool}` for `atext`, `{rev, [format]: string}` for `html`,
   * `markdown` and `text`.
   */
  content(rev, format) {
    return this._get(`/content?${rev === null ? '' : `rev=${rev}&`}format=${format}`);
  }

  /** Revisions `since` and up, at most `limit` (1,000 at most), oldest first. */
  async revisions(since, limit) {
    return (await this._get(`/revisions?since=${since}&limit=${limit}`)).revisions;
  }

  /** Named versions, oldest first: `[{id, rev, label, note, author, time}]`. */
  async versions() {
    return (await this._get('/versions')).versions;
  }

  /** Name revision `rev` (an edit token's right). */
  addVersion(rev, label, note) {
    return this._send('POST', '/versions', { rev, label, ...(note ? { note } : {}) });
  }

  /** Make a new revision equal to `rev`; resolves with `{rev}`, the new head. */
  restore(rev) {
    return this._send('POST', '/restore', { rev });
  }

  /** Revision `rev` as a file the server writes (`docx`, `odt`, `pdf`): a Blob. */
  exportFile(rev, format) {
    return this._send('GET', `/export?format=${format}&rev=${rev}`, undefined, 'blob');
  }

  /** The users connected now (names and colors of authors). */
  async users() {
    return (await this._get('/users')).users;
  }

  /** Stored chat (it names its authors too). */
  async chat(limit = 1000) {
    return (await this._get(`/chat?limit=${limit}`)).messages;
  }

  _get(path) {
    return this._send('GET', path);
  }

  async _send(method, path, body, read = 'json') {
    let token = await this._tokenOnce(false);
    for (let attempt = 0; ; attempt++) {
      const headers = {};
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let response;
      try {
        response = await this._fetch(this.base + path, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new PolicyPadError('network', `the server did not answer (${error.message})`);
      }
      if (response.ok) return read === 'blob' ? response.blob() : response.json();
      const failure = await refusal(response);
      // an expired token: a token function may give a fresh one, once
      if (response.status === 401 && attempt === 0 && typeof this._token === 'function') {
        token = await this._tokenOnce(true);
        continue;
      }
      throw failure;
    }
  }

  /** The token to send: the string, or the function's answer (asked again if `renew`). */
  _tokenOnce(renew) {
    if (typeof this._token !== 'function') return Promise.resolve(this._token ?? undefined);
    if (this._current === null || renew) {
      const asked = Promise.resolve().then(() => this._token());
      this._current = asked;
      asked.catch(() => {
        if (this._current === asked) this._current = null;
      });
    }
    return this._current.catch((error) => {
      throw new PolicyPadError('token_failed', String(error?.message ?? error));
    });
  }
}

/** The PolicyPadError a refused request stands for. */
async function refusal(response) {
  let error = null;
  try {
    error = (await response.json())?.error ?? null;
  } catch {
    // not JSON: a proxy's page, say
  }
  const failure = new PolicyPadError(error?.code ?? `http_${response.status}`, error?.message ?? response.statusText);
  failure.status = response.status;
  return failure;
}
