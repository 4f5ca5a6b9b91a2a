// The shop page's views: product grid, product detail, checkout, order list, one order.
"use strict";

(() => {
  const { config, shop, t, money, when, el, toast, api, cart, saveCart, setCount, product, go } = Shop;
  // The ways to pay the shop offers (LINE Pay only when it is configured).
  const METHODS = config.methods;
  const PHONE = /^09\d{8}$/;
  let pollTimer = null;

  function picture(p, cls) {
    return p.image_url ? el("img", { class: cls, src: p.image_url, alt: p.name, loading: "lazy" })
      : el("div", { class: `${cls} blank` }, p.name.slice(0, 1));
  }

  function stock(p) {
    return p.stock > 0 ? el("span", { class: "muted" }, t("stock_left", { n: p.stock }))
      : el("span", { class: "sold-out" }, t("sold_out"));
  }

  function inCart(id) {
    const line = cart().find((l) => l.product_id === id);
    return line ? line.count : 0;
  }

  function addButton(p) {
    return el("button", {
      type: "button", class: "button primary", testid: `add-${p.id}`, disabled: p.stock <= inCart(p.id),
      onclick: (event) => {
        setCount(p.id, inCart(p.id) + 1);
        event.currentTarget.disabled = p.stock <= inCart(p.id);
        toast(`${p.name} × ${inCart(p.id)}`);
      },
    }, t("add"));
  }

  // ---- products --------------------------------------------------------------------------------
  Shop.views.products = (view) => {
    const cards = shop.products.map((p) => el("article", { class: "card", testid: `product-${p.id}` },
      el("a", { href: `/liff/products/${p.id}`, "data-nav": `products/${p.id}` },
        picture(p, "card-picture"), el("h2", {}, p.name)),
      el("div", { class: "card-foot" }, el("strong", { class: "price" }, money(p.price)), stock(p)),
      addButton(p)));
    view.replaceChildren(el("div", { class: "grid" }, cards));
  };

  Shop.views.products_one = (view, id) => {
    const p = product(id);
    if (!p) return go("");
    view.replaceChildren(el("article", { class: "detail", testid: "product-detail" },
      el("a", { href: "/liff/", "data-nav": "", class: "back" }, t("back")),
      picture(p, "detail-picture"), el("h1", {}, p.name),
      el("p", {}, el("strong", { class: "price" }, money(p.price)), " ", stock(p)),
      el("p", { class: "description" }, p.description || ""), addButton(p)));
    return undefined;
  };

  // ---- checkout: cart lines, delivery form with inline checks, payment choice ------------------
  const FIELDS = {
    name: (v) => v.length >= 1 && v.length <= 50,
    phone: (v) => PHONE.test(v.replace(/[\s-]/g, "")),
    address: (v) => v.length >= 5 && v.length <= 200,
  };

  function field(name, type, value) {
    const input = el("input", { id: `f-${name}`, name, type, value: value || "", testid: `input-${name}`,
      autocomplete: { name: "name", phone: "tel", address: "street-address" }[name],
      inputmode: name === "phone" ? "tel" : null });
    const error = el("p", { class: "field-error", testid: `error-${name}`, hidden: true });
    const check = () => {
      const ok = FIELDS[name](input.value.trim().replace(/\s+/g, " "));
      error.textContent = ok ? "" : t(`${name}_invalid`);
      error.hidden = ok;
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      return ok;
    };
    input.addEventListener("blur", check);
    input.addEventListener("input", () => { if (!error.hidden) check(); });
    input.check = check;
    input.showError = (text) => { error.textContent = text; error.hidden = false; };
    return el("label", { class: "field" }, el("span", {}, t(name)), input, error);
  }

  function cartLine(line, refresh) {
    const p = product(line.product_id) || { id: line.product_id, name: `#${line.product_id}`, price: 0, stock: 0 };
    const step = (delta) => () => { setCount(p.id, Math.max(0, line.count + delta)); refresh(); };
    const problem = shop.problems[p.id];
    return el("li", { class: `line${problem ? " short" : ""}`, testid: `line-${p.id}` },
      picture(p, "line-picture"),
      el("div", { class: "line-body" },
        el("strong", {}, p.name), el("span", { class: "muted" }, `${money(p.price)} × ${line.count}`),
        problem ? el("p", { class: "line-problem", testid: `line-problem-${p.id}` }, problem) : null),
      el("div", { class: "stepper" },
        el("button", { type: "button", onclick: step(-1), "aria-label": "−" }, "−"),
        el("span", {}, line.count),
        el("button", { type: "button", onclick: step(1), disabled: line.count >= p.stock, "aria-label": "+" }, "+")),
      el("button", { type: "button", class: "link", testid: `remove-${p.id}`,
        onclick: () => { setCount(p.id, 0); refresh(); } }, t("remove")));
  }

  async function showShortLines(lines) {
    await Shop.loadProducts();
    shop.problems = {};
    lines.filter((l) => !l.have_stock).forEach((l) => {
      const p = product(l.product_id);
      shop.problems[l.product_id] = !p ? t("line_gone") : p.stock === 0 ? t("line_sold_out") : t("line_short");
    });
    toast(t("fix_cart"));
  }

  async function pay(orderId, method) {
    const answer = await api("POST", `/orders/${orderId}/payments`, { method });
    if (answer.status !== 201 && answer.data.message) toast(answer.data.message);
    return answer;
  }

  async function placeOrder(form, button, refresh) {
    const inputs = ["name", "phone", "address"].map((name) => form.querySelector(`#f-${name}`));
    const bad = inputs.filter((input) => !input.check());
    if (bad.length) { bad[0].focus(); return; }
    const [name, phone, address] = inputs.map((input) => input.value.trim());
    button.disabled = true;
    const answer = await api("POST", "/orders", { products: cart(), recipient: { name, phone, address } });
    button.disabled = false;
    if (answer.status === 201) {
      const order = answer.data.order;
      saveCart([]);
      shop.recipient = order.recipient;
      await pay(order.id, form.querySelector("input[name=method]:checked").value);
      go(`orders/${order.id}`);
    } else if (answer.status === 409) {
      await showShortLines(answer.data.lines);
      refresh();
    } else if (answer.status === 400) {
      Object.entries(answer.data.fields || {}).forEach(([key, text]) => {
        const input = form.querySelector(`#f-${key.replace("recipient.", "")}`);
        if (input) input.showError(text); else toast(text);
      });
    }
  }

  Shop.views.checkout = (view) => {
    const draw = () => {
      const lines = cart();
      if (!lines.length) {
        view.replaceChildren(el("p", { class: "muted", testid: "cart-empty" }, t("cart_empty")));
        return;
      }
      const saved = view.querySelector("form");
      const values = saved ? Object.fromEntries(new FormData(saved)) : (shop.recipient || {});
      const button = el("button", { type: "submit", class: "button primary wide", testid: "place-order" }, t("place_order"));
      const choice = (method) => el("label", { class: "choice" },
        el("input", { type: "radio", name: "method", value: method, testid: `pay-${method}`,
          checked: (values.method || "atm") === method }), t(method));
      const form = el("form", { class: "checkout", novalidate: true },
        el("h2", {}, t("cart")),
        el("ul", { class: "lines" }, lines.map((line) => cartLine(line, draw))),
        el("p", { class: "total" }, t("total"), " ", el("strong", { testid: "cart-total" }, money(Shop.cartTotals().total))),
        el("h2", {}, t("delivery")),
        field("name", "text", values.name), field("phone", "tel", values.phone),
        field("address", "text", values.address),
        el("h2", {}, t("payment")), el("div", { class: "choices" }, METHODS.map(choice)),
        button);
      form.addEventListener("submit", (event) => { event.preventDefault(); placeOrder(form, button, draw); });
      view.replaceChildren(form);
    };
    draw();
  };

  // ---- orders ----------------------------------------------------------------------------------
  Shop.views.orders = async (view) => {
    const { status, data } = await api("GET", "/orders");
    if (status !== 200) return;
    const rows = (data.orders || []).map((o) => el("li", {},
      el("a", { href: `/liff/orders/${o.id}`, "data-nav": `orders/${o.id}`, class: "order-row", testid: `order-${o.id}` },
        el("strong", {}, t("order", { id: o.id })), el("span", { class: "muted" }, when(o.created_at)),
        el("span", {}, money(o.total)), el("span", { class: `status ${o.status}` }, t(`status_${o.status}`)))));
    view.replaceChildren(el("h1", {}, t("orders")),
      rows.length ? el("ul", { class: "orders" }, rows) : el("p", { class: "muted" }, t("orders_none")));
  };

  function copyButton(text) {
    return el("button", { type: "button", class: "button", testid: "copy-account", onclick: async (event) => {
      const button = event.currentTarget;
      try { await navigator.clipboard.writeText(text); } catch (error) {
        const scratch = el("textarea", {}, text);
        document.body.append(scratch);
        scratch.select();
        document.execCommand("copy");
        scratch.remove();
      }
      button.textContent = t("copied");
    } }, t("copy"));
  }

  function paymentBox(order, redraw) {
    const payment = order.payment;
    if (order.status === "paid" || order.status === "shipped") {
      // Inside LINE, one tap takes the shopper back to the chat, where the news arrived too.
      const back = liff.isInClient() ? el("button", { type: "button", class: "button wide",
        testid: "close-page", onclick: () => liff.closeWindow() }, t("close")) : null;
      return el("div", {}, el("p", { class: "paid", testid: "paid" }, t("paid")), back);
    }
    if (order.status !== "pending") return null;
    if (payment && payment.method === "atm") {
      return el("dl", { class: "atm", testid: "atm" },
        el("dt", {}, t("bank_code")), el("dd", {}, payment.bank_code),
        el("dt", {}, t("account")), el("dd", {}, el("strong", { testid: "va-account" }, payment.account), " ", copyButton(payment.account)),
        el("dt", {}, t("amount")), el("dd", {}, money(payment.amount)),
        el("dt", {}, t("deadline")), el("dd", {}, when(payment.deadline)));
    }
    if (payment && payment.method === "card") {
      return el("button", { type: "button", class: "button primary wide", testid: "pay-card-page",
        onclick: () => liff.openWindow({ url: payment.card_url, external: false }) }, t("pay_card"));
    }
    if (payment && payment.method === "linepay") {
      // The web page, as LINE's own LIFF samples do: inside LINE it hands over to LINE Pay.
      return el("button", { type: "button", class: "button primary wide", testid: "pay-linepay-page",
        onclick: () => liff.openWindow({ url: payment.payment_url, external: false }) }, t("pay_linepay"));
    }
    const again = (method) => el("button", { type: "button", class: "button", testid: `pay-again-${method}`,
      onclick: async () => { if ((await pay(order.id, method)).status === 201) redraw(); } }, t(method));
    return el("div", { class: "choices" }, el("p", {}, t("pay_again")), METHODS.map(again));
  }

  Shop.views.orders_one = async (view, id) => {
    const { status, data } = await api("GET", `/orders/${id}`);
    if (status !== 200) { go("orders"); return; }
    const order = data.order;
    const redraw = () => Shop.views.orders_one(view, id);
    const r = order.recipient;
    view.replaceChildren(el("article", { class: "order", testid: "order" },
      el("a", { href: "/liff/orders", "data-nav": "orders", class: "back" }, t("back")),
      el("h1", {}, t("order", { id: order.id }), " ", el("span", { class: `status ${order.status}`, testid: "order-status" }, t(`status_${order.status}`))),
      el("ul", { class: "lines" }, order.lines.map((line) => el("li", { class: "line" },
        picture(line, "line-picture"),
        el("div", { class: "line-body" }, el("strong", {}, line.name), el("span", { class: "muted" }, `${money(line.unit_price)} × ${line.count}`)),
        el("span", {}, money(line.total_price))))),
      el("p", { class: "total" }, t("subtotal"), " ", money(order.subtotal)),
      order.discount ? el("p", { class: "total" }, t("discount"), " −", money(order.discount)) : null,
      el("p", { class: "total" }, t("total"), " ", el("strong", { testid: "order-total" }, money(order.total))),
      r ? el("p", { class: "muted" }, `${t("ship_to")} ${r.name} ${r.phone} ${r.address}`) : null,
      order.status === "pending" ? el("p", { class: "muted" }, t("hold_until", { when: when(order.expires_at) })) : null,
      paymentBox(order, redraw)));
    // Until the bank's notice arrives, look again now and then; the chat gets the news too.
    clearTimeout(pollTimer);
    if (order.status === "pending" && order.payment) {
      const here = window.location.pathname;
      pollTimer = setTimeout(() => { if (window.location.pathname === here) redraw(); }, 3000);
    }
  };

  Shop.start();
})();
