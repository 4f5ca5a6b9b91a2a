// A stand-in for LINE's LIFF SDK (https://static.line-scdn.net/liff/edge/2/sdk.js), served by
// the LINE emulator. It covers what a shop page needs (line-platform.md §8.3): init with the
// primary → secondary redirect of §8.2, the ID token of the shopper the chat page chose (it
// arrives in the URL fragment), profile, language, isInClient, openWindow and closeWindow.
"use strict";

(() => {
  const STORE = "liff-sandbox";
  let session = null;

  class LiffError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  }

  function decode(token) {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function fromFragment() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const token = params.get("liff.id_token");
    if (!token) return null;
    return { idToken: token, language: params.get("liff.lang") || "zh-TW", liffId: params.get("liff.id") };
  }

  function secondaryUrl(state) {
    // Endpoint path + the part after the LIFF id, endpoint query kept (§8.2).
    const url = new URL(window.location.href);
    url.searchParams.delete("liff.state");
    const extra = new URL(state, "https://liff.invalid");
    const base = url.pathname.replace(/\/$/, "");
    extra.searchParams.forEach((value, key) => url.searchParams.append(key, value));
    url.pathname = base + extra.pathname;
    url.hash = extra.hash;
    return url.toString();
  }

  const liff = {
    id: null,
    init({ liffId } = {}) {
      const fresh = fromFragment();
      if (fresh) sessionStorage.setItem(STORE, JSON.stringify(fresh));
      session = fresh || JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (!session) {
        return Promise.reject(new LiffError("INIT_FAILED",
          "Open this page from a LIFF link in the sandbox chat page."));
      }
      if (liffId && session.liffId && liffId !== session.liffId) {
        return Promise.reject(new LiffError("INVALID_CONFIG", `unknown liffId ${liffId}`));
      }
      liff.id = liffId || session.liffId;
      const state = new URLSearchParams(window.location.search).get("liff.state");
      if (state) {
        window.location.replace(secondaryUrl(state));
        return new Promise(() => {});  // the page reloads at the secondary URL
      }
      // LIFF ≥ 2.11 strips credentials from the address once init resolves.
      if (fresh) history.replaceState(history.state, "", window.location.pathname + window.location.search);
      return Promise.resolve();
    },
    ready: Promise.resolve(),
    isLoggedIn: () => session !== null,
    isInClient: () => window.parent !== window,
    login() { throw new LiffError("FORBIDDEN", "log in from the sandbox chat page"); },
    logout() { session = null; sessionStorage.removeItem(STORE); },
    getIDToken: () => (session ? session.idToken : null),
    getDecodedIDToken: () => (session ? decode(session.idToken) : null),
    getAccessToken: () => null,
    getProfile() {
      if (!session) return Promise.reject(new LiffError("UNAUTHORIZED", "not logged in"));
      const claims = decode(session.idToken);
      return Promise.resolve({ userId: claims.sub, displayName: claims.name });
    },
    getContext: () => (session ? {
      type: "utou", viewType: "full", liffId: liff.id, userId: decode(session.idToken).sub,
      scope: ["openid", "profile"], endpointUrl: window.location.origin,
    } : null),
    getLanguage: () => (session ? session.language : navigator.language),
    getAppLanguage: () => (session ? session.language : navigator.language),
    getOS: () => "web",
    getVersion: () => "2.0.0-sandbox",
    openWindow({ url }) { window.open(url, "_blank", "noopener"); },
    closeWindow() {
      if (window.parent !== window) window.parent.postMessage({ type: "liff.closeWindow" }, "*");
      else window.close();
    },
  };
  window.liff = liff;
})();
