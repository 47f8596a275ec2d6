// quizsite: keyboard shortcuts, focus after htmx swaps, and the ordering control.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // On a narrow screen the navigation folds behind a Menu button.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-menu]");
    if (!button) return;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.closest("nav").classList.toggle("nav-open", open);
  });

  // A form or button with data-confirm asks before it goes ahead (unassign, remove a member).
  document.addEventListener("submit", (event) => {
    const asker = (event.submitter && event.submitter.closest("[data-confirm]")) ||
      event.target.closest("[data-confirm]");
    if (asker && !window.confirm(asker.dataset.confirm)) event.preventDefault();
  });

  function isTyping(element) {
    if (!element) return false;
    const tag = element.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable ||
      (tag === "INPUT" && !["radio", "checkbox", "button", "submit", "hidden"].includes(element.type));
  }

  function focusIn(root) {
    const target = root.querySelector("[autofocus]") || root.querySelector("[data-verdict]") ||
      root.querySelector("input:not([type=hidden]), select, textarea, button");
    if (target) target.focus({ preventScroll: false });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const card = document.querySelector("[data-study-card]");
    if (!card) return;
    // A key pressed the instant a card is swapped in (Space then 3, as fast as Anki) must not
    // find its form not yet taken over by htmx and submit it as a whole page.
    if (window.htmx && !card.dataset.processed) { htmx.process(card); card.dataset.processed = "1"; }
    const active = document.activeElement;
    if (event.key === " " && !isTyping(active)) {
      const reveal = card.querySelector("[data-reveal]");
      if (reveal) { event.preventDefault(); reveal.click(); }
      return;
    }
    // U undoes the flashcard just rated, as in Anki.
    if ((event.key === "u" || event.key === "U") && !isTyping(active)) {
      const undo = card.querySelector("[data-undo]");
      if (undo) { event.preventDefault(); undo.click(); }
      return;
    }
    if (/^[1-4]$/.test(event.key) && !isTyping(active)) {
      const rating = card.querySelector(`[data-rating="${event.key}"]`);
      if (rating) { event.preventDefault(); rating.click(); return; }
    }
    // 1–9 pick the choice with that number, as Quizlet does: a radio is chosen, a box toggled.
    if (/^[1-9]$/.test(event.key) && !isTyping(active)) {
      const choice = card.querySelectorAll("[data-choice-key] input[name=choice]")[Number(event.key) - 1];
      if (choice) {
        event.preventDefault();
        choice.checked = choice.type === "radio" ? true : !choice.checked;
        choice.dispatchEvent(new Event("change", { bubbles: true }));
        choice.focus();
      }
      return;
    }
    if (event.key === "Enter" && !event.shiftKey) {
      if (active && (active.tagName === "BUTTON" || active.tagName === "A" || active.tagName === "TEXTAREA")) return;
      const form = card.querySelector("form[data-enter-submits]");
      if (form && (!active || active === document.body || form.contains(active))) {
        event.preventDefault();
        form.querySelector("[data-check]").click();
        return;
      }
      const next = card.querySelector("[data-next]");
      if (next) { event.preventDefault(); next.click(); }
    }
  });

  // Ordering: drag with a mouse or finger, or move with buttons or Alt+arrows.
  function announce(list, text) {
    const status = list.parentElement.querySelector("[data-ordering-status]");
    if (status) status.textContent = text;
  }
  function move(item, direction) {
    const list = item.parentElement;
    if (direction === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    else if (direction === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    else return;
    const place = [...list.children].indexOf(item) + 1;
    announce(list, `${item.querySelector(".item-text").textContent} is now number ${place} of ${list.children.length}.`);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-ordering] [data-move]");
    if (!button) return;
    const item = button.closest("li");
    move(item, button.dataset.move);
    button.focus();
  });
  document.addEventListener("keydown", (event) => {
    const item = event.target.closest && event.target.closest("[data-ordering] > li");
    if (!item || event.target !== item || !event.altKey) return;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      move(item, event.key === "ArrowUp" ? "up" : "down");
      item.focus();
    }
  });
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const item = event.target.closest && event.target.closest("[data-ordering] > li");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.item);
  });
  document.addEventListener("dragover", (event) => {
    const over = event.target.closest && event.target.closest("[data-ordering] > li");
    if (!dragged || !over || over === dragged || over.parentElement !== dragged.parentElement) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  document.addEventListener("drop", (event) => { if (dragged) event.preventDefault(); });
  document.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    const list = dragged.parentElement;
    announce(list, `${dragged.querySelector(".item-text").textContent} is now number ${[...list.children].indexOf(dragged) + 1}.`);
    dragged = null;
  });

  // A control replaced by a swap (a reorder button) gets the focus back, or its neighbour.
  let focusKey = null;
  document.addEventListener("htmx:beforeRequest", () => {
    focusKey = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focusKey || null : null;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!focusKey) return;
    const again = document.querySelector(`[data-focus-key="${focusKey}"]`);
    const target = again && !again.disabled ? again
      : again && again.parentElement.querySelector("button:not([disabled])");
    if (target) target.focus();
    focusKey = null;
  });

  // After a study step is swapped in, move focus into it so keyboard users carry on.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target && event.detail.target.id === "study-card") {
      const card = document.getElementById("study-card");
      if (card) focusIn(card);
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    // A wide chart (the reviews-per-day calendar on a phone) opens at its newest end.
    document.querySelectorAll("[data-scroll-end] .chart-scroll").forEach((wrap) => {
      wrap.scrollLeft = wrap.scrollWidth;
    });
    // Sign-up preselects the browser's time zone; the student can still change it.
    const zones = document.querySelector("select[data-browser-time-zone]");
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zones && zones.value === "UTC" && zone && [...zones.options].some((o) => o.value === zone)) {
      zones.value = zone;
    }
    if (window.htmx) {
      // Show validation errors (400) in place, like a success; keep 5xx as errors.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "400", swap: true, error: false },
        { code: "409", swap: true, error: false },
        { code: "[45]..", swap: false, error: true },
      ];
    }
  });
})();
