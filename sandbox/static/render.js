// Renders LINE message objects (text, image, sticker, template, Flex) as DOM nodes.
// Only textContent and attributes are set from message data, never innerHTML, so bot text
// cannot inject markup into the page.
"use strict";

const Render = (() => {
  const SPACING = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
  const TEXT_SIZE = { xxs: "11px", xs: "13px", sm: "14px", md: "16px", lg: "19px", xl: "22px",
                      xxl: "29px", "3xl": "35px", "4xl": "48px", "5xl": "74px" };
  const IMAGE_SIZE = { xxs: "40px", xs: "60px", sm: "80px", md: "100px", lg: "120px", xl: "140px",
                       xxl: "160px", "3xl": "180px", "4xl": "200px", "5xl": "240px", full: "100%" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function px(value, table) {
    if (value === undefined || value === null) return null;
    return table && table[value] !== undefined ? table[value] : value;
  }

  function clickable(node, action, onAction) {
    if (!action) return node;
    node.classList.add("tappable");
    node.addEventListener("click", (event) => { event.stopPropagation(); onAction(action); });
    return node;
  }

  function actionButton(action, onAction, testid) {
    const button = el("button", "action-button", action.label || action.type);
    button.type = "button";
    button.dataset.testid = testid;
    button.dataset.actionType = action.type;
    return clickable(button, action, onAction);
  }

  // ---- templates ----------------------------------------------------------------------------
  function templateCard(column, imageRatio, onAction) {
    const card = el("div", "template-card");
    card.dataset.testid = "template-card";
    if (column.thumbnailImageUrl) {
      const img = el("img", "template-thumb");
      img.src = column.thumbnailImageUrl;
      img.alt = "";
      img.style.aspectRatio = imageRatio === "square" ? "1 / 1" : "1.51 / 1";
      img.style.objectFit = column.imageSize === "contain" ? "contain" : "cover";
      img.style.backgroundColor = column.imageBackgroundColor || "#fff";
      card.appendChild(img);
    }
    if (column.title) card.appendChild(el("div", "template-title", column.title));
    card.appendChild(el("div", "template-text", column.text));
    const actions = el("div", "template-actions");
    (column.actions || []).forEach((a) => actions.appendChild(actionButton(a, onAction, "template-button")));
    card.appendChild(actions);
    return clickable(card, column.defaultAction, onAction);
  }

  function template(message, onAction) {
    const t = message.template || {};
    if (t.type === "buttons") return templateCard(t, t.imageAspectRatio, onAction);
    if (t.type === "confirm") {
      const card = templateCard({ text: t.text, actions: t.actions }, null, onAction);
      card.classList.add("confirm");
      return card;
    }
    const row = el("div", "carousel");
    if (t.type === "carousel") {
      t.columns.forEach((c) => row.appendChild(templateCard({ ...c, imageSize: t.imageSize },
                                                            t.imageAspectRatio, onAction)));
    } else if (t.type === "image_carousel") {
      t.columns.forEach((c) => {
        const cell = el("div", "image-carousel-cell");
        const img = el("img");
        img.src = c.imageUrl;
        img.alt = "";
        cell.appendChild(img);
        if (c.action && c.action.label) cell.appendChild(el("div", "image-carousel-label", c.action.label));
        row.appendChild(clickable(cell, c.action, onAction));
      });
    }
    return row;
  }

  // ---- Flex ---------------------------------------------------------------------------------
  function applyBoxStyle(node, c) {
    const s = node.style;
    if (c.backgroundColor) s.backgroundColor = c.backgroundColor;
    if (c.cornerRadius) s.borderRadius = px(c.cornerRadius, SPACING);
    if (c.borderWidth) s.border = `${px(c.borderWidth, { light: "0.5px", normal: "1px", medium: "2px",
                                                           "semi-bold": "3px", bold: "4px" })} solid ${c.borderColor || "#000"}`;
    if (c.paddingAll) s.padding = px(c.paddingAll, SPACING);
    ["Top", "Bottom", "Start", "End"].forEach((side) => {
      const value = c["padding" + side];
      const css = { Top: "paddingTop", Bottom: "paddingBottom", Start: "paddingLeft", End: "paddingRight" }[side];
      if (value) s[css] = px(value, SPACING);
    });
    ["width", "height", "maxWidth", "maxHeight"].forEach((k) => { if (c[k]) s[k] = c[k]; });
    if (c.justifyContent) s.justifyContent = c.justifyContent;
    if (c.alignItems) s.alignItems = c.alignItems;
  }

  // LINE's default `flex` is 1 inside horizontal boxes and 0 inside vertical ones.
  function placeChild(node, c, parentLayout, first, parentSpacing) {
    const horizontal = parentLayout !== "vertical";
    const grow = c.flex !== undefined ? c.flex : (horizontal ? 1 : 0);
    node.style.flex = horizontal ? `${grow} 1 0%` : `${grow} 0 auto`;
    const margin = c.margin !== undefined ? px(c.margin, SPACING) : (first ? null : parentSpacing);
    if (margin && !first) node.style[horizontal ? "marginLeft" : "marginTop"] = margin;
    if (c.gravity) node.style.alignSelf = { top: "flex-start", center: "center", bottom: "flex-end" }[c.gravity];
  }

  function flexText(c, onAction) {
    const node = el("div", "flex-text");
    if (Array.isArray(c.contents) && c.contents.length) {
      c.contents.forEach((span) => {
        const s = el("span", null, span.text);
        if (span.color) s.style.color = span.color;
        if (span.size) s.style.fontSize = px(span.size, TEXT_SIZE);
        if (span.weight === "bold") s.style.fontWeight = "bold";
        if (span.decoration) s.style.textDecoration = span.decoration;
        node.appendChild(s);
      });
    } else {
      node.textContent = c.text;
    }
    const s = node.style;
    s.fontSize = px(c.size || "md", TEXT_SIZE);
    if (c.weight === "bold") s.fontWeight = "bold";
    if (c.color) s.color = c.color;
    if (c.align) s.textAlign = c.align === "start" ? "left" : c.align === "end" ? "right" : "center";
    if (c.style === "italic") s.fontStyle = "italic";
    if (c.decoration) s.textDecoration = c.decoration;
    if (c.wrap) {
      s.whiteSpace = "pre-wrap";
      if (c.maxLines) { s.display = "-webkit-box"; s.webkitLineClamp = c.maxLines; s.webkitBoxOrient = "vertical"; s.overflow = "hidden"; }
    } else {
      node.classList.add("nowrap");
    }
    return clickable(node, c.action, onAction);
  }

  function flexImage(c, onAction) {
    const wrap = el("div", "flex-image");
    const img = el("img");
    img.src = c.url;
    img.alt = "";
    img.style.width = px(c.size || "md", IMAGE_SIZE);
    img.style.aspectRatio = (c.aspectRatio || "1:1").replace(":", " / ");
    img.style.objectFit = c.aspectMode === "cover" ? "cover" : "contain";
    if (c.backgroundColor) img.style.backgroundColor = c.backgroundColor;
    wrap.style.justifyContent = { start: "flex-start", end: "flex-end" }[c.align] || "center";
    wrap.appendChild(img);
    return clickable(wrap, c.action, onAction);
  }

  function flexButton(c, onAction) {
    const style = c.style || "link";
    const button = actionButton(c.action || {}, onAction, "flex-button");
    button.className = `flex-button flex-button-${style}` + (c.height === "sm" ? " sm" : "");
    if (c.color) button.style[style === "link" ? "color" : "backgroundColor"] = c.color;
    return button;
  }

  function component(c, onAction) {
    switch (c.type) {
      case "box": return box(c, onAction);
      case "text": return flexText(c, onAction);
      case "image": return flexImage(c, onAction);
      case "button": return flexButton(c, onAction);
      case "separator": {
        const node = el("div", "flex-separator");
        if (c.color) node.style.borderColor = c.color;
        return node;
      }
      case "spacer": {
        const node = el("div", "flex-spacer");
        node.style.height = px(c.size || "md", SPACING);
        return node;
      }
      case "icon": {
        const img = el("img", "flex-icon");
        img.src = c.url;
        img.alt = "";
        img.style.height = px(c.size || "md", TEXT_SIZE);
        return img;
      }
      case "filler": return el("div", "flex-filler");
      default: return el("div", "flex-unknown", `[${c.type}]`);
    }
  }

  function box(c, onAction) {
    const node = el("div", `flex-box flex-${c.layout}`);
    applyBoxStyle(node, c);
    const spacing = px(c.spacing, SPACING);
    (c.contents || []).forEach((child, i) => {
      const childNode = component(child, onAction);
      placeChild(childNode, child, c.layout, i === 0, spacing);
      node.appendChild(childNode);
    });
    return clickable(node, c.action, onAction);
  }

  function bubble(b, onAction) {
    const node = el("div", `flex-bubble size-${b.size || "mega"}`);
    node.dataset.testid = "flex-bubble";
    const styles = b.styles || {};
    ["header", "hero", "body", "footer"].forEach((block) => {
      if (!b[block]) return;
      const section = el("div", `flex-block flex-${block}`);
      if (styles[block] && styles[block].backgroundColor) section.style.backgroundColor = styles[block].backgroundColor;
      if (styles[block] && styles[block].separator) section.classList.add("with-separator");
      section.appendChild(component(b[block], onAction));
      node.appendChild(section);
    });
    return clickable(node, b.action, onAction);
  }

  function flex(message, onAction) {
    const contents = message.contents || {};
    if (contents.type === "carousel") {
      const row = el("div", "carousel");
      row.dataset.testid = "flex-carousel";
      contents.contents.forEach((b) => row.appendChild(bubble(b, onAction)));
      return row;
    }
    return bubble(contents, onAction);
  }

  // ---- entry point ----------------------------------------------------------------------------
  function message(m, onAction) {
    switch (m.type) {
      case "text": return el("div", "bubble-text", m.text);
      case "image": {
        const img = el("img", "image-message");
        img.src = m.previewImageUrl;
        img.alt = "";
        return clickable(img, { type: "uri", uri: m.originalContentUrl }, onAction);
      }
      case "sticker": return el("div", "sticker", `🧸 sticker ${m.packageId}/${m.stickerId}`);
      case "template": return template(m, onAction);
      case "flex": return flex(m, onAction);
      default: return el("div", "bubble-text", `[${m.type}]`);
    }
  }

  return { message, el };
})();
