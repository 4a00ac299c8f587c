// Waiting in the live scripts (tests/js/live_*.mjs), which drive the client against a
// real server: a pause, and a condition polled until it holds.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolve once `condition()` holds; throw 'timed out' after `timeoutMs`. */
export async function until(condition, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}
