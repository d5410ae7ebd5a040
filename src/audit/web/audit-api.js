// The auditor API as the page calls it: the bearer token kept in this tab (sessionStorage), sent on
// every call, and refusals told in words an auditor can act on.
import { fetchJson, HttpError, request } from './web-common/http.js';

const base = document.body.dataset.base || '';
const TOKEN_KEY = 'citecare-audit-token';

export const token = () => sessionStorage.getItem(TOKEN_KEY) || '';
export const saveToken = (t) => sessionStorage.setItem(TOKEN_KEY, t);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

function explain(err) {
  if (!(err instanceof HttpError)) return err;
  if (err.status === 401) {
    return new Error('The token was not accepted (expired, or not from the auditor issuer).');
  }
  if (err.status === 403) return new Error('This token does not carry the auditor role.');
  return new Error(`The server answered ${err.status}.`);
}

async function call(path, read) {
  const t = token();
  if (!t) throw new Error('Paste an auditor token first.');
  try {
    return await read(`${base}/api${path}`, { headers: { authorization: `Bearer ${t}` } });
  } catch (err) {
    throw explain(err);
  }
}

/** GET `/api${path}` and its JSON answer. */
export const getJson = (path) => call(path, fetchJson);

/** GET `/api${path}` as a Blob (the exports). */
export const getBlob = (path) => call(path, async (url, options) => (await request(url, options)).blob());
