// The dashboard token: read once from ?token=, kept in this tab's sessionStorage, decoded for display only.
// The servers decide what the token allows; the page only hides what it could not use anyway.

const TOKEN_KEY = 'dashboard-token';

/**
 * The claims of a JWT's payload, or null when the text is not a JWT. The signature is not (and cannot be) checked
 * here: the result only chooses what the page shows.
 */
export function decodeClaims(token) {
  if (typeof token !== 'string') {
    return null;
  }
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[1] === '') {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
  } catch {
    return null;
  }
}

/** What a token's claims say the user may see (docs/contracts.md, Identity). */
export function accessOf(claims) {
  const roles = Array.isArray(claims?.roles) ? claims.roles : typeof claims?.roles === 'string' ? [claims.roles] : [];
  const list = (value) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
  const admin = roles.includes('admin');
  const projects = list(claims?.projects);
  const devices = list(claims?.devices);
  return {
    user: typeof claims?.sub === 'string' ? claims.sub : null,
    admin,
    roles,
    expiresAt: Number.isFinite(claims?.exp) ? claims.exp * 1000 : null,
    /** every project (admin or `*`), else only the listed ones */
    allProjects: admin || projects.includes('*'),
    projects: projects.filter((p) => p !== '*'),
    allDevices: admin || devices.includes('*'),
    devices: devices.filter((d) => d !== '*'),
  };
}

/** True when the token's `exp` has passed (or is within `marginMs` of now). */
export function isExpired(access, now, marginMs = 0) {
  return access.expiresAt !== null && access.expiresAt - marginMs <= now;
}

/**
 * Takes `?token=` out of the address bar (so it ends up in no bookmark, history entry or screenshot) and returns it;
 * the other query parameters and the fragment stay.
 */
export function takeTokenFromUrl(location, history) {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) {
    return null;
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token.trim() === '' ? null : token.trim();
}

export function storedToken(storage) {
  return storage.getItem(TOKEN_KEY);
}

export function storeToken(storage, token) {
  storage.setItem(TOKEN_KEY, token);
}

export function forgetToken(storage) {
  storage.removeItem(TOKEN_KEY);
}
