// HTTP access to the landbank API: root-relative paths, the planner's bearer token, problem+json errors.

const TOKEN_KEY = 'landbank.token';

/** An error answer of the server (problem+json) or a failed request. */
export class ApiError extends Error {
  constructor({ status, title, detail, code }) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.code = code;
  }
}

let pending = 0;
let waiters = [];

function settle() {
  if (pending === 0) {
    const done = waiters;
    waiters = [];
    done.forEach((resolve) => resolve());
  }
}

/** Resolves once no request to the API is running. */
export function whenSettled() {
  if (pending === 0) return Promise.resolve();
  return new Promise((resolve) => waiters.push(resolve));
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Sends a request and answers the parsed body. GETs revalidate with the server (`no-cache`): answers carry
 * `max-age=60` but change after every write. `token: null` sends no token, a string sends that one; by default the
 * signed-in planner's token goes along.
 */
export async function request(method, path, { body, token, headers = {} } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  const bearer = token === undefined ? getToken() : token;
  if (bearer) sent.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  pending += 1;
  try {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-cache',
      });
    } catch (e) {
      throw new ApiError({ status: 0, title: 'network', detail: e.message, code: 'network' });
    }
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok) {
      let problem = {};
      if (type.includes('json')) problem = await response.json().catch(() => ({}));
      throw new ApiError({
        status: response.status,
        title: problem.title || response.statusText,
        detail: problem.detail || '',
        code: problem.code || '',
      });
    }
    if (response.status === 204) return null;
    return type.includes('json') ? response.json() : response.text();
  } finally {
    pending -= 1;
    settle();
  }
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
