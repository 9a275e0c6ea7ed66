// Same-origin calls to the suite's REST APIs through the gateway, with the user's JWT. Errors carry the RFC 9457
// problem the services answer with.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problemMessage(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** One sentence from a problem JSON: its detail (or title) and the fields it names. */
export function problemMessage(status, problem) {
  if (!problem || typeof problem !== 'object') {
    return status === 0 ? 'The server could not be reached' : `HTTP ${status}`;
  }
  const head = problem.detail || problem.title || `HTTP ${status}`;
  const fields = Array.isArray(problem.errors)
    ? problem.errors.map((e) => `${e.field}: ${e.message}`).filter(Boolean)
    : [];
  return fields.length ? `${head} (${fields.join('; ')})` : head;
}

/** `path` under `base` with `query` (nullish values left out). */
export function buildUrl(base, path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.append(name, String(value));
    }
  }
  const text = params.toString();
  return base + path + (text ? `?${text}` : '');
}

/** Path segments encoded one by one (object keys keep their `/`). */
export function encodePath(...segments) {
  return segments.map((s) => String(s).split('/').map(encodeURIComponent).join('/')).join('/');
}

/**
 * @param {string} base the page's base path, e.g. "/project-dashboard/"
 * @param {() => string} token the current JWT
 * @param {(error: ApiError) => void} onUnauthorized called on every 401 (the token expired or was revoked)
 */
export function createApi(base, token, onUnauthorized = () => {}) {
  async function request(method, path, { query, body, headers = {}, auth = true } = {}) {
    const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'omit' };
    if (auth) {
      init.headers.Authorization = `Bearer ${token()}`;
    }
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(buildUrl(base, path, query), init);
    } catch {
      throw new ApiError(0, null);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!response.ok) {
      const error = new ApiError(response.status, json);
      if (response.status === 401 && auth) {
        onUnauthorized(error);
      }
      throw error;
    }
    return json;
  }
  return {
    base,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body, options = {}) => request('POST', path, { ...options, body }),
    request,
    url: (path, query) => buildUrl(base, path, query),
  };
}
