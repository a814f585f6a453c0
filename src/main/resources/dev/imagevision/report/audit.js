"use strict";
(function () {
  // Data comes as JSON in a non-executable script element; text only ever reaches the page
  // through textContent and value, never as markup.
  const DATA = JSON.parse(document.getElementById("audit-data").textContent);
  const REVIEW = DATA.mode === "review";
  const cards = Array.from(document.querySelectorAll(".card"));
  const groups = Array.from(document.querySelectorAll(".group"));
  const $ = (id) => document.getElementById(id);
  const imageOf = (card) => DATA.images[Number(card.dataset.i)];

  // ---- filters -----------------------------------------------------------------------------
  let searchText = null; // built on first search: the cards' visible text, lower-cased
  const q = $("q"), cat = $("cat"), onlyRejected = $("only-rejected"), onlyFallback = $("only-fallback"),
    onlyFlagged = $("only-flagged"), showCrops = $("show-crops"), count = $("count");

  function applyFilters() {
    const needle = q.value.trim().toLowerCase();
    if (needle && !searchText) searchText = cards.map((c) => c.textContent.toLowerCase());
    const wantCat = cat.value;
    let shown = 0;
    cards.forEach((c, i) => {
      const ok = (!wantCat || c.dataset.category === wantCat)
        && (!onlyRejected.checked || c.dataset.rejected === "1")
        && (!onlyFallback.checked || c.dataset.fallback === "1")
        && (!onlyFlagged.checked || c.dataset.flagged === "1")
        && (!needle || searchText[i].includes(needle));
      if (c.hidden === ok) c.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach((g) => {
      const any = g.querySelector(".card:not([hidden])") !== null;
      if (g.hidden === any) g.hidden = !any;
    });
    count.textContent = shown === cards.length ? cards.length + " images" : shown + " of " + cards.length + " images";
    $("no-match").hidden = shown !== 0;
  }
  [q, cat, onlyRejected, onlyFallback, onlyFlagged].forEach((el) => el.addEventListener("input", applyFilters));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  const jump = $("jump");
  jump.addEventListener("change", () => {
    const target = jump.value && document.getElementById(jump.value);
    if (target) {
      target.hidden = false;
      target.scrollIntoView({ block: "start" });
      const first = target.querySelector(".card:not([hidden]) .flag-btn");
      if (first) first.focus({ preventScroll: true });
    }
    jump.value = "";
  });
  showCrops.addEventListener("change", () => document.body.classList.toggle("hide-crops", !showCrops.checked));

  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if (e.key === "Escape" && document.activeElement === q && q.value) {
      q.value = "";
      applyFilters();
    } else if ((e.key === "c" || e.key === "C") && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      showCrops.checked = !showCrops.checked;
      showCrops.dispatchEvent(new Event("change"));
    }
  });

  // ---- toast -------------------------------------------------------------------------------
  let toastTimer = 0;
  function toast(text, isError) {
    const t = $("toast");
    t.textContent = text;
    t.classList.toggle("err", !!isError);
    t.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.remove("show"), isError ? 6000 : 3500);
  }

  // ---- review-mode requests ----------------------------------------------------------------
  async function post(action, body) {
    const res = await fetch("/api/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Imagevision-Token": DATA.token },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
    let reply = {};
    try { reply = await res.json(); } catch (ignored) { /* the status says enough */ }
    if (!res.ok) throw new Error(reply.error || ("the server answered " + res.status));
    return reply;
  }

  function setFlagged(card, flagged, reason) {
    const img = imageOf(card);
    const total = $("stat-flagged");
    if (total && img.flagged !== flagged) total.textContent = String(Number(total.textContent) + (flagged ? 1 : -1));
    img.flagged = flagged;
    card.dataset.flagged = flagged ? "1" : "0";
    card.classList.toggle("is-flagged", flagged);
    const status = card.querySelector(".status");
    if (flagged) {
      card.dataset.rejected = "1";
      status.textContent = "Flagged: " + reason + " (saved; the next score run re-selects the group)";
    } else {
      status.textContent = "Unflagged (saved; the next score run restores the model's score)";
    }
    let badge = card.querySelector(".b-flagged");
    if (flagged && !badge) {
      badge = document.createElement("span");
      badge.className = "badge b-flagged";
      // the same drawn flag as the button's (no emoji font needed)
      badge.append(card.querySelector(".flag-btn .icon").cloneNode(true), " flagged");
      card.querySelector(".line1 .badge").after(badge);
    } else if (!flagged && badge) {
      badge.remove();
    }
    const unflag = card.querySelector(".unflag-btn");
    if (unflag) unflag.hidden = !flagged;
    searchText = null;
    applyFilters();
  }

  // ---- flag dialog -------------------------------------------------------------------------
  const dialog = $("flag-dialog"), form = $("flag-form"), pathBox = $("flag-path"), reasonBox = $("flag-reason"),
    msg = $("flag-msg"), payloadLabel = $("flag-payload-label"), payloadBox = $("flag-payload");
  let flagCard = null, opener = null;

  function say(text, kind) {
    msg.textContent = text;
    msg.className = "msg" + (kind ? " " + kind : "");
  }

  function openFlag(card, button) {
    flagCard = card;
    opener = button;
    pathBox.value = imageOf(card).path;
    reasonBox.value = "";
    payloadBox.value = "";
    payloadLabel.hidden = true;
    say("", "");
    dialog.showModal();
    reasonBox.focus();
  }

  async function copy(text) {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard API on this page");
    await navigator.clipboard.writeText(text);
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = reasonBox.value.trim().replace(/\s+/g, " ");
    if (!reason) {
      say("Type a reason first: it is what the next scoring run learns from.", "err");
      reasonBox.focus();
      return;
    }
    const path = pathBox.value;
    if (REVIEW) {
      try {
        const reply = await post("flag", { path: path, reason: reason });
        setFlagged(flagCard, true, reply.reason || reason);
        dialog.close();
        toast("Flagged " + path + " in the curation file");
      } catch (err) {
        say("Not saved: " + err.message, "err");
      }
      return;
    }
    const payload = JSON.stringify({ path: path, reason: reason });
    payloadBox.value = payload;
    try {
      await copy(payload);
      payloadLabel.hidden = true;
      say("Copied to the clipboard. Now run: pbpaste | imagevision flag  (Linux: xclip -o -selection clipboard | imagevision flag)", "ok");
    } catch (err) {
      // file:// pages often get no clipboard: show the payload to copy by hand
      payloadLabel.hidden = false;
      payloadBox.focus();
      payloadBox.select();
      say("The browser did not allow clipboard access here. Copy the payload below and pipe it to: imagevision flag", "err");
    }
  });
  $("flag-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { if (opener) opener.focus(); });

  // ---- card buttons --------------------------------------------------------------------------
  document.getElementById("groups").addEventListener("click", async (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    const card = button.closest(".card");
    if (button.classList.contains("flag-btn")) {
      openFlag(card, button);
    } else if (button.classList.contains("unflag-btn")) {
      try {
        await post("unflag", { path: imageOf(card).path });
        setFlagged(card, false, "");
        toast("Unflagged " + imageOf(card).path);
      } catch (err) {
        toast("Not saved: " + err.message, true);
      }
    } else if (button.classList.contains("reset-btn")) {
      try {
        const reply = await post("override", { path: imageOf(card).path, focal_point: null, subject_box: null });
        showOverride(card, reply);
        toast("Crop override removed for " + imageOf(card).path);
      } catch (err) {
        toast("Not saved: " + err.message, true);
      }
    }
  });

  if (!REVIEW) return;

  // ---- review mode: drag the focal point and the subject box corners --------------------------
  const clamp = (v) => Math.min(1, Math.max(0, v));
  const round4 = (v) => Math.round(v * 10000) / 10000;
  const pct = (v) => (clamp(v) * 100).toFixed(2) + "%";

  function place(el, x, y, w, h) {
    el.style.left = pct(x);
    el.style.top = pct(y);
    if (w !== undefined) {
      el.style.width = pct(w);
      el.style.height = pct(h);
    }
  }

  function drawBox(stage, box) {
    let el = stage.querySelector(".sbox");
    if (!box) {
      if (el) el.remove();
      stage.querySelectorAll(".corner").forEach((c) => c.remove());
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.className = "sbox";
      stage.insertBefore(el, stage.querySelector(".focal"));
    }
    place(el, box.x, box.y, box.w, box.h);
    const corners = { nw: [box.x, box.y], ne: [box.x + box.w, box.y], sw: [box.x, box.y + box.h], se: [box.x + box.w, box.y + box.h] };
    for (const name of Object.keys(corners)) {
      let c = stage.querySelector(".corner." + name);
      if (!c) {
        c = document.createElement("div");
        c.className = "corner " + name;
        c.dataset.corner = name;
        c.title = "subject box corner: drag";
        stage.appendChild(c);
      }
      place(c, corners[name][0], corners[name][1]);
    }
  }

  function drawWindows(stage, windows) {
    if (!windows) return;
    stage.querySelectorAll(".win").forEach((el) => {
      const w = windows[el.dataset.win];
      if (!w) return;
      place(el, w.x, w.y, w.w, w.h);
      el.classList.add("preview");
    });
  }

  function showOverride(card, reply) {
    const img = imageOf(card);
    const stage = card.querySelector(".stage");
    img.focal = reply.focal_point;
    img.box = reply.subject_box;
    img.override = !!reply.override;
    const focal = stage.querySelector(".focal");
    if (focal && img.focal) place(focal, img.focal.x, img.focal.y);
    drawBox(stage, img.box);
    drawWindows(stage, reply.crop_windows);
    card.querySelector(".b-override").hidden = !img.override;
    card.querySelector(".pending").hidden = !reply.pending;
    const reset = card.querySelector(".reset-btn");
    if (reset) reset.hidden = !img.override;
  }

  async function save(card) {
    const img = imageOf(card);
    try {
      const reply = await post("override", { path: img.path, focal_point: img.focal, subject_box: img.box });
      showOverride(card, reply);
      toast("Saved crop override for " + img.path);
    } catch (err) {
      toast("Not saved: " + err.message, true);
    }
  }

  cards.forEach((card) => {
    const stage = card.querySelector(".stage:not(.missing)");
    if (!stage || !imageOf(card).focal) return;
    drawBox(stage, imageOf(card).box);
  });

  let drag = null;
  document.addEventListener("pointerdown", (e) => {
    const handle = e.target.closest(".focal, .corner");
    if (!handle || e.button !== 0) return;
    const stage = handle.closest(".stage");
    const card = stage.closest(".card");
    const img = imageOf(card);
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const b = img.box;
    drag = {
      handle, stage, card, img, corner: handle.dataset.corner || null, moved: false,
      // the corner opposite the one held stays put
      anchor: b ? { nw: [b.x + b.w, b.y + b.h], ne: [b.x, b.y + b.h], sw: [b.x + b.w, b.y], se: [b.x, b.y] } : null,
    };
    stage.classList.add("dragging");
  });
  document.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const r = drag.stage.getBoundingClientRect();
    const x = clamp((e.clientX - r.left) / r.width), y = clamp((e.clientY - r.top) / r.height);
    drag.moved = true;
    if (drag.corner) {
      const [ax, ay] = drag.anchor[drag.corner];
      drag.img.box = { x: round4(Math.min(x, ax)), y: round4(Math.min(y, ay)), w: round4(Math.abs(x - ax)), h: round4(Math.abs(y - ay)) };
      drawBox(drag.stage, drag.img.box);
    } else {
      drag.img.focal = { x: round4(x), y: round4(y) };
      place(drag.handle, x, y);
    }
  });
  function endDrag() {
    if (!drag) return;
    const d = drag;
    drag = null;
    d.stage.classList.remove("dragging");
    if (d.moved) save(d.card);
  }
  document.addEventListener("pointerup", endDrag);
  document.addEventListener("pointercancel", endDrag);

  // keyboard: arrows move a focused focal point (Shift: 5 %), saved when the key is released
  let nudged = null;
  document.addEventListener("keydown", (e) => {
    const focal = e.target.closest && e.target.closest(".focal");
    if (!focal) return;
    const step = e.shiftKey ? 0.05 : 0.01;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    e.preventDefault();
    const card = focal.closest(".card");
    const img = imageOf(card);
    img.focal = { x: round4(clamp(img.focal.x + d[0])), y: round4(clamp(img.focal.y + d[1])) };
    place(focal, img.focal.x, img.focal.y);
    nudged = card;
  });
  document.addEventListener("keyup", (e) => {
    if (nudged && /^Arrow/.test(e.key)) {
      const card = nudged;
      nudged = null;
      save(card);
    }
  });
})();
