// The chat page: shopper switcher, long-polled conversation, sending texts/postbacks, quick
// replies and the rich menu. Talks only to /_emulator/api/* on the emulator.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const api = "/_emulator/api";
  const view = { users: [], userId: null, after: 0, poll: null, entries: [] };

  async function call(method, path, body) {
    const response = await fetch(api + path, {
      method, headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.json();
  }

  function currentUser() { return view.users.find((u) => u.userId === view.userId); }

  function toast(text) {
    const node = $("toast");
    node.textContent = text;
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { node.hidden = true; }, 2500);
  }

  // ---- actions (message / postback / uri / datetimepicker) ------------------------------------
  async function deliver(promise) {
    const result = await promise;
    if (result.error) toast(`webhook: ${result.error} ${result.status || ""}`);
  }

  function onAction(action) {
    if (action.type === "message") return sendText(action.text);
    if (action.type === "postback") {
      return deliver(call("POST", `/users/${view.userId}/postback`,
                          { data: action.data, displayText: action.displayText || action.text }));
    }
    if (action.type === "uri" && LIFF_URL.test(action.uri)) return openLiff(action.uri);
    if (action.type === "uri") return window.open(action.uri, "_blank", "noopener");
    if (action.type === "datetimepicker") {
      const value = window.prompt(`${action.label || "選擇"} (${action.mode})`, action.initial || "");
      if (value) deliver(call("POST", `/users/${view.userId}/postback`,
                              { data: action.data, params: { [action.mode]: value } }));
      return undefined;
    }
    return toast(`此動作在模擬器中不支援：${action.type}`);
  }

  // ---- LIFF: a liff.line.me link opens the app's endpoint as this shopper, over the chat --------
  const LIFF_URL = /^https:\/\/liff\.line\.me\//;

  async function openLiff(uri) {
    const response = await fetch(`${api}/users/${view.userId}/liff`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: uri }),
    });
    if (!response.ok) return toast(`LIFF: ${response.status} ${uri}`);
    const { url } = await response.json();
    $("liff-frame").src = url;
    $("liff-tab").href = url;
    $("liff").hidden = false;
    return undefined;
  }

  function closeLiff() {
    $("liff").hidden = true;
    $("liff-frame").src = "about:blank";
  }

  function sendText(text) {
    if (!text || !view.userId) return undefined;
    return deliver(call("POST", `/users/${view.userId}/text`, { text }));
  }

  // ---- conversation ---------------------------------------------------------------------------
  function clock(ms) {
    const d = new Date(ms);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function notice(text) {
    const node = Render.el("div", "notice", text);
    node.dataset.testid = "notice";
    return node;
  }

  function entryNode(entry) {
    const m = entry.message;
    if (entry.direction === "user") {
      if (m.type === "follow") return notice("你已將此帳號加入好友 · followed");
      if (m.type === "unfollow") return notice("你已封鎖此帳號 · blocked");
      if (m.type === "postback" && !m.displayText) return notice(`postback: ${m.data}`);
    }
    const row = Render.el("div", `row ${entry.direction}`);
    row.dataset.testid = `bubble-${entry.direction}`;
    row.dataset.via = entry.via || "";
    if (entry.direction === "bot") row.appendChild(Render.el("div", "avatar", view.botInitial));
    const content = entry.direction === "user" && m.type === "postback"
      ? Render.el("div", "bubble-text", m.displayText) : Render.message(m, onAction);
    content.classList.add("content");
    row.appendChild(content);
    row.appendChild(Render.el("div", "time", clock(entry.time)));
    return row;
  }

  function showQuickReply() {
    const bar = $("quick-replies");
    bar.replaceChildren();
    const last = view.entries[view.entries.length - 1];
    const items = last && last.direction === "bot" && last.message.quickReply
      ? last.message.quickReply.items : [];
    items.forEach((item) => {
      const chip = Render.el("button", "chip", item.action.label);
      chip.type = "button";
      chip.dataset.testid = "quick-reply";
      if (item.imageUrl) {
        const icon = Render.el("img");
        icon.src = item.imageUrl;
        icon.alt = "";
        chip.prepend(icon);
      }
      chip.addEventListener("click", () => onAction(item.action));
      bar.appendChild(chip);
    });
    bar.hidden = items.length === 0;
  }

  function append(entries) {
    const list = $("messages");
    entries.forEach((entry) => list.appendChild(entryNode(entry)));
    view.entries.push(...entries);
    showQuickReply();
    list.scrollTop = list.scrollHeight;
  }

  async function pollLoop(userId) {
    while (view.userId === userId) {
      try {
        const r = await fetch(`${api}/users/${userId}/messages?after=${view.after}&wait=10`,
                              { signal: view.poll.signal });
        const data = await r.json();
        if (view.userId !== userId) return;
        if (data.total < view.after) { resetConversation(); continue; }
        view.after += data.messages.length;
        append(data.messages);
      } catch (error) {
        if (error.name === "AbortError") return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function resetConversation() {
    view.after = 0;
    view.entries = [];
    $("messages").replaceChildren();
    showQuickReply();
  }

  // ---- shoppers -------------------------------------------------------------------------------
  function renderUsers() {
    const select = $("user-switcher");
    select.replaceChildren();
    view.users.forEach((u) => {
      const option = Render.el("option", null, `${u.displayName} (${u.language})`);
      option.value = u.userId;
      select.appendChild(option);
    });
    const add = Render.el("option", null, "➕ 新增購物者 add shopper");
    add.value = "__add__";
    select.appendChild(add);
    select.value = view.userId;
    renderFollowState();
  }

  function renderFollowState() {
    const user = currentUser();
    const toggle = $("follow-toggle");
    toggle.textContent = user && user.following ? "封鎖 Block" : "加入好友 Follow";
    toggle.dataset.following = user && user.following ? "true" : "false";
    $("chat-input").disabled = !user || user.blocked;
    $("chat-input").placeholder = user && user.blocked ? "已封鎖 — 請先加入好友" : "輸入訊息";
  }

  function selectUser(userId) {
    if (view.poll) view.poll.abort();
    view.userId = userId;
    view.poll = new AbortController();
    resetConversation();
    renderUsers();
    if (userId) pollLoop(userId);
  }

  async function refreshUsers() {
    view.users = (await call("GET", "/users")).users;
    renderUsers();
  }

  async function toggleFollow() {
    const user = currentUser();
    await deliver(call("POST", `/users/${view.userId}/${user.following ? "unfollow" : "follow"}`));
    await refreshUsers();
  }

  async function addShopper(event) {
    event.preventDefault();
    const name = $("new-shopper-name").value.trim();
    if (!name) return;
    const user = await call("POST", "/users", { displayName: name, language: $("new-shopper-language").value });
    view.users.push(user);
    $("add-shopper-form").hidden = true;
    $("new-shopper-name").value = "";
    selectUser(user.userId);
  }

  // ---- rich menu ------------------------------------------------------------------------------
  async function loadRichMenu() {
    const menu = await call("GET", "/richmenu");
    const area = $("richmenu");
    if (!menu.richMenuId) { area.hidden = true; $("richmenu-bar").hidden = true; return; }
    $("richmenu-bar").hidden = false;
    $("richmenu-bar").textContent = `${menu.chatBarText} ▾`;
    const image = $("richmenu-image");
    image.src = menu.imageUrl;
    image.parentElement.style.aspectRatio = `${menu.size.width} / ${menu.size.height}`;
    const layer = $("richmenu-areas");
    layer.replaceChildren();
    menu.areas.forEach((a, i) => {
      const hit = Render.el("button", "richmenu-area");
      hit.type = "button";
      hit.dataset.testid = "richmenu-area";
      hit.dataset.index = i;
      hit.title = a.action.label || a.action.data || a.action.text || a.action.uri || "";
      Object.assign(hit.style, {
        left: `${(100 * a.bounds.x) / menu.size.width}%`, top: `${(100 * a.bounds.y) / menu.size.height}%`,
        width: `${(100 * a.bounds.width) / menu.size.width}%`, height: `${(100 * a.bounds.height) / menu.size.height}%`,
      });
      hit.addEventListener("click", () => onAction(a.action));
      layer.appendChild(hit);
    });
    if (view.menuId !== menu.richMenuId) area.hidden = !menu.selected;
    view.menuId = menu.richMenuId;
  }

  function wire() {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("chat-input");
      sendText(input.value.trim());
      input.value = "";
    });
    $("user-switcher").addEventListener("change", (event) => {
      if (event.target.value === "__add__") {
        $("add-shopper-form").hidden = false;
        event.target.value = view.userId;
        $("new-shopper-name").focus();
      } else {
        selectUser(event.target.value);
      }
    });
    $("add-shopper-form").addEventListener("submit", addShopper);
    $("follow-toggle").addEventListener("click", toggleFollow);
    $("liff-close").addEventListener("click", closeLiff);
    window.addEventListener("message", (event) => {
      if (event.data && event.data.type === "liff.closeWindow") closeLiff();
    });
    $("richmenu-bar").addEventListener("click", () => {
      $("richmenu").hidden = !$("richmenu").hidden;
    });
  }

  async function start() {
    const data = await call("GET", "/users");
    view.users = data.users;
    view.botInitial = (data.botName || "店").slice(0, 1);
    wire();
    selectUser(view.users.length ? view.users[0].userId : null);
    loadRichMenu();
    setInterval(loadRichMenu, 5000);
  }

  start();
})();
