// order-gateway console: the little that needs a script. Written here, no library.
// Every page works without it; with it, the product search answers as you type.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// <input data-product-search> inside a form: results listed under it; a click fills
// the form's SKU field (data-target names it).
function productSearch(input) {
  const list = document.createElement("ul");
  list.className = "search-results";
  list.setAttribute("role", "listbox");
  input.insertAdjacentElement("afterend", list);
  const target = input.form.querySelector(`[name="${input.dataset.target || "sku"}"]`);
  const show = (items) => {
    list.replaceChildren();
    for (const p of items) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `${p.sku} — ${p.name}${p.active ? "" : " (inactive)"}`;
      b.addEventListener("click", () => {
        if (target) { target.value = p.sku; target.dispatchEvent(new Event("input")); }
        list.replaceChildren();
      });
      li.append(b);
      list.append(li);
    }
  };
  const ask = debounce(async () => {
    const q = input.value.trim();
    if (q.length < 2) { show([]); return; }
    try {
      const r = await fetch(`/products/search?q=${encodeURIComponent(q)}`,
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (r.ok && input.value.trim() === q) show(await r.json());
    } catch (e) { show([]); }
  }, 200);
  input.addEventListener("input", ask);
}

// <form data-confirm="question">: asked before it is sent.
function confirmBeforeSend(form) {
  form.addEventListener("submit", (ev) => {
    if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-product-search]").forEach(productSearch);
  document.querySelectorAll("form[data-confirm]").forEach(confirmBeforeSend);
});
