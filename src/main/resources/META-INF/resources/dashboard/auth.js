// Login through Keycloak: OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) for the
// realm's public client, with no client secret and no library: the browser's WebCrypto makes the
// verifier and its challenge. Tokens are kept in this tab's sessionStorage only (not shared with
// other tabs, gone when the tab closes) and renewed with the refresh token before they expire.

const STORE = 'hongtong.dashboard.tokens';
const PENDING = 'hongtong.dashboard.pending';

function base64url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT, decoded but not verified: for display only; the API verifies every call. */
export function claimsOf(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

export class Auth {
  constructor(config) {
    this.issuer = config.issuer;
    this.clientId = config.clientId;
    this.tokens = JSON.parse(sessionStorage.getItem(STORE) || 'null');
  }

  endpoint(name) {
    return `${this.issuer}/protocol/openid-connect/${name}`;
  }

  /** Sends the browser to Keycloak's login page; the view asked for comes back after the login. */
  async login() {
    const verifier = randomString(48);
    const state = randomString(24);
    sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, hash: location.hash }));
    const query = new URLSearchParams({
      client_id: this.clientId,
      redirect_uri: redirectUri(),
      response_type: 'code',
      response_mode: 'query',
      scope: 'openid',
      state,
      code_challenge: await challengeOf(verifier),
      code_challenge_method: 'S256',
      ui_locales: document.documentElement.lang || 'zh-CN',
    });
    location.assign(`${this.endpoint('auth')}?${query}`);
  }

  /**
   * Finishes a login when Keycloak has just sent the browser back with a code: checks the state
   * against the one this tab sent, exchanges the code with its verifier, and restores the view.
   * Gives true when a login was finished, false when there was none to finish.
   */
  async completeLogin() {
    const params = new URLSearchParams(location.search);
    if (!params.has('state') || (!params.has('code') && !params.has('error'))) {
      return false;
    }
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, '', redirectUri() + (pending ? pending.hash : ''));
    if (!pending || pending.state !== params.get('state')) {
      throw new Error('login state mismatch');
    }
    if (params.has('error')) {
      throw new Error(params.get('error_description') || params.get('error'));
    }
    await this.tokenRequest({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    });
    return true;
  }

  async tokenRequest(form) {
    const response = await fetch(this.endpoint('token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: this.clientId, ...form }),
    });
    if (!response.ok) {
      this.forget();
      throw new Error(`token endpoint answered ${response.status}`);
    }
    const answer = await response.json();
    const now = Date.now();
    this.tokens = {
      access: answer.access_token,
      refresh: answer.refresh_token,
      id: answer.id_token || (this.tokens && this.tokens.id),
      expiresAt: now + answer.expires_in * 1000,
    };
    sessionStorage.setItem(STORE, JSON.stringify(this.tokens));
  }

  forget() {
    this.tokens = null;
    sessionStorage.removeItem(STORE);
  }

  get loggedIn() {
    return this.tokens !== null;
  }

  /** A valid access token: the kept one, renewed when it has less than 30 s left; null if none can be had. */
  async accessToken() {
    if (!this.tokens) {
      return null;
    }
    if (Date.now() > this.tokens.expiresAt - 30000) {
      if (!this.tokens.refresh) {
        this.forget();
        return null;
      }
      try {
        await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: this.tokens.refresh });
      } catch (e) {
        return null;
      }
    }
    return this.tokens.access;
  }

  claims() {
    return this.tokens ? claimsOf(this.tokens.access) : {};
  }

  /** Ends the Keycloak session too, then comes back to the dashboard (which asks for a new login). */
  logout() {
    const hint = this.tokens && this.tokens.id;
    this.forget();
    const query = new URLSearchParams({ client_id: this.clientId, post_logout_redirect_uri: redirectUri() });
    if (hint) {
      query.set('id_token_hint', hint);
    }
    location.assign(`${this.endpoint('logout')}?${query}`);
  }
}
