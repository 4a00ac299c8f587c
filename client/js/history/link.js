// Deep links: the page's address says which revision the timeslider shows, and what it is
// compared with, so that a link opens the same view.
//
//   https://app.example.com/policy/42/history#rev=120&compare=97
//
// The hash, by default: changing it reloads nothing and leaves the host's own query alone.
// At start the query is read too (`?rev=120`), for links made by hand or by a server.
// Moving along only replaces the current entry of the browser's history: a scrub would
// otherwise leave a thousand entries behind the Back button.

/**
 * The revision and comparison a location asks for (numbers, or null where it says none).
 * @param {{hash: string, search: string}} location
 * @returns {{rev: number|null, compare: number|null}}
 */
export function readLink(location) {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const query = new URLSearchParams(location.search);
  const number = (name) => {
    const raw = hash.get(name) ?? query.get(name);
    return raw !== null && /^[0-9]{1,10}$/.test(raw) ? Number(raw) : null;
  };
  return { rev: number('rev'), compare: number('compare') };
}

/**
 * The hash for a view, keeping whatever else the hash held.
 * @param {string} hash the current one (`#...` or empty)
 * @param {{rev: number, compare: number|null}} view
 * @returns {string}
 */
export function linkHash(hash, view) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.set('rev', String(view.rev));
  if (view.compare === null) params.delete('compare');
  else params.set('compare', String(view.compare));
  return `#${params}`;
}

/**
 * Show `view` in the page's address (replacing the current history entry).
 * @param {Window} window
 * @param {{rev: number, compare: number|null}} view
 */
export function writeLink(window, view) {
  const hash = linkHash(window.location.hash, view);
  if (hash !== window.location.hash) window.history.replaceState(window.history.state, '', hash);
}
