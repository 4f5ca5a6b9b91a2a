// The shop page's core: LIFF sign-in, texts, the /api client, the cart and the router.
// The views (views.js) draw into #view; this file owns state and talks to the server.
"use strict";

window.Shop = (() => {
  const config = JSON.parse(document.getElementById("shop-config").textContent);
  const BASE = "/liff/";
  const shop = { products: [], recipient: null, language: "zh-TW", problems: {} };
  let idToken = null;
  let cartKey = "shop-cart";

  // ---- texts: zh-TW first, English when LINE's language (or the browser's) says so ----------
  function pickLanguage(tag) {
    return tag && tag.toLowerCase().startsWith("en") ? "en" : "zh-TW";
  }

  function t(key, params = {}) {
    const variants = config.texts[key] || {};
    const text = variants[shop.language] || variants["zh-TW"] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
  }

  const money = (amount) => `NT$${Number(amount).toLocaleString("en-US")}`;

  function when(iso) {
    return new Date(iso).toLocaleString(shop.language === "en" ? "en-US" : "zh-TW", {
      timeZone: "Asia/Taipei", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    });
  }

  // ---- DOM helpers ---------------------------------------------------------------------------
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([name, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "testid") node.dataset.testid = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    });
    return node;
  }

  function toast(text) {
    const node = document.getElementById("toast");
    node.textContent = text;
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { node.hidden = true; }, 4000);
  }

  // ---- the API: the ID token is the only identity sent (line-platform.md §8.4) -------------
  async function api(method, path, body) {
    const headers = { "Accept-Language": shop.language };
    if (idToken) headers.Authorization = `Bearer ${idToken}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`/api${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      toast(t("error"));
      throw error;
    }
    const data = await response.json().catch(() => ({}));
    // An ID token lives one hour: ask the shopper to reopen the page, which signs in again.
    if (response.status === 401) toast(t("signed_out"));
    return { status: response.status, data };
  }

  // ---- the cart: product id → count, kept on this device per shopper ------------------------
  function cart() {
    return JSON.parse(localStorage.getItem(cartKey) || "[]");
  }

  function saveCart(lines) {
    localStorage.setItem(cartKey, JSON.stringify(lines.filter((line) => line.count > 0)));
    renderCartBar();
  }

  function setCount(productId, count) {
    const lines = cart();
    const line = lines.find((l) => l.product_id === productId);
    if (line) line.count = count;
    else lines.push({ product_id: productId, count });
    delete shop.problems[productId];
    saveCart(lines);
  }

  const product = (id) => shop.products.find((p) => p.id === id);

  function cartTotals() {
    let count = 0;
    let total = 0;
    cart().forEach((line) => {
      const p = product(line.product_id);
      count += line.count;
      total += p ? p.price * line.count : 0;
    });
    return { count, total };
  }

  function renderCartBar() {
    const bar = document.getElementById("cart-bar");
    const { count, total } = cartTotals();
    bar.hidden = count === 0 || current().name === "checkout";
    bar.querySelector(".cart-summary").textContent =
      `🛒 ${t("cart_count", { n: count })} · ${money(total)}`;
  }

  // ---- the router: LINE opens /liff/<path>; the page moves with pushState after init -------
  function current() {
    const path = window.location.pathname.slice(BASE.length).replace(/\/$/, "");
    const [name, id] = path.split("/");
    return { name: name || "products", id: id ? Number(id) : null };
  }

  function go(path) {
    history.pushState(null, "", BASE + path);
    render();
  }

  function render() {
    const route = current();
    const draw = Shop.views[route.id ? `${route.name}_one` : route.name] || Shop.views.products;
    const view = document.getElementById("view");
    view.replaceChildren(el("p", { class: "muted" }, t("loading")));
    document.getElementById("toast").hidden = true;
    window.scrollTo(0, 0);
    renderCartBar();
    Promise.resolve(draw(view, route.id)).catch(() => toast(t("error")));
  }

  function wire() {
    document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
    document.addEventListener("click", (event) => {
      const link = event.target.closest("[data-nav]");
      if (!link) return;
      event.preventDefault();
      go(link.dataset.nav);
    });
    window.addEventListener("popstate", render);
  }

  async function loadProducts() {
    const { data } = await api("GET", "/products");
    shop.products = data.products || [];
  }

  async function start() {
    try {
      await liff.init({ liffId: config.liffId });
    } catch (error) {
      document.getElementById("view").replaceChildren(el("p", { class: "error" }, error.message));
      return;
    }
    // Outside LINE's own browser the shopper signs in first (LINE comes back to this page).
    if (!liff.isLoggedIn()) {
      liff.login({ redirectUri: window.location.href });
      return;
    }
    const lineLanguage = liff.getAppLanguage ? liff.getAppLanguage() : liff.getLanguage();
    shop.language = pickLanguage(lineLanguage || navigator.language);
    document.documentElement.lang = shop.language === "en" ? "en" : "zh-Hant";
    idToken = liff.getIDToken();  // null when the LIFF app lacks the openid scope
    if (!idToken) {
      document.getElementById("view").replaceChildren(el("p", { class: "error" }, t("signed_out")));
      return;
    }
    const claims = liff.getDecodedIDToken();  // only to keep one cart per shopper on a device
    cartKey = `shop-cart:${config.liffId}:${claims ? claims.sub : ""}`;
    wire();
    await loadProducts();
    const me = await api("GET", "/me");
    shop.recipient = me.status === 200 ? me.data.recipient : null;
    render();
  }

  return { config, shop, t, money, when, el, toast, api, cart, saveCart, setCount, product,
           cartTotals, go, render, loadProducts, start, views: {} };
})();
