// The one way both pages call their server: JSON in and out, the session cookie sent along, and a
// state-changing call carrying the CSRF token in X-CSRF-Token.

/** The server answered with an error status; `body` is its JSON answer, or null. */
export class HttpError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function jsonOrNull(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/**
 * fetch with the pages' conventions. Resolves to the Response when it is ok; rejects with HttpError
 * when it is not, and with fetch's own error when the server cannot be reached.
 */
export async function request(url, { method = 'GET', headers = {}, body, csrfToken } = {}) {
  const all = { Accept: 'application/json', ...headers };
  if (body !== undefined) all['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) all['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers: all,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new HttpError(res.status, await jsonOrNull(res));
  return res;
}

/** `request`, then the answer's JSON (null when it has none). */
export async function fetchJson(url, options) {
  return jsonOrNull(await request(url, options));
}

/** A `Type/id` reference as a URL path, each segment escaped. */
export const escapePath = (ref) => ref.split('/').map(encodeURIComponent).join('/');
