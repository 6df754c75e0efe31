// The cloud exhibition hall in the browser. Without this script every page
// still works: the hall lists its zones, exhibits link the previous and the
// next one, and each picture is a link to its largest file. With it:
//
// * the entrance shows whether the hall is open, upcoming or closed, worked
//   out from its dates here (the HTML is the same whatever day it was built);
// * exhibit pages walk with ← →, swipe, and Esc back to the zone;
// * a click on a picture opens the zoom viewer (wheel, pinch, drag,
//   double-click or double-tap, keys + − 0 and arrows; Esc closes it first);
// * the guided tour shows every exhibit in turn, full screen, and keeps
//   touring across pages (`?tour=1`); Space pauses it, Esc ends it.
(function () {
  "use strict";
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ---- the entrance: open, upcoming or closed ------------------------------

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function daysBetween(a, b) {
    return Math.round((Date.parse(b) - Date.parse(a)) / 86400000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-opens], [data-closes]"), function (hall) {
    var out = hall.querySelector("[data-hall-status]");
    if (!out) return;
    var opens = hall.getAttribute("data-opens");
    var closes = hall.getAttribute("data-closes");
    var now = today();
    var state, text;
    if (opens && now < opens) {
      state = "upcoming";
      text = "即将开展（还有 " + daysBetween(now, opens) + " 天）";
    } else if (closes && now > closes) {
      state = "closed";
      text = "已闭展，线上展厅仍可参观";
    } else {
      state = "open";
      text = "正在展出";
    }
    out.textContent = text;
    out.setAttribute("data-state", state);
    hall.setAttribute("data-state", state);
    out.hidden = false;
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-tour-link]"), function (a) {
    a.hidden = false;
  });

  // ---- exhibit pages --------------------------------------------------------

  var exhibit = document.querySelector("[data-walk]");
  if (!exhibit) return;

  function linkOf(rel) {
    var a = document.querySelector('a[rel="' + rel + '"]') || document.querySelector('link[rel="' + rel + '"]');
    return a ? a.href : null;
  }
  var prevUrl = linkOf("prev");
  var nextUrl = linkOf("next");
  var zoneLink = document.querySelector("a.walk-zone");
  var zoneUrl = zoneLink ? zoneLink.href : null;
  var keys = document.querySelector("[data-walk-keys]");
  if (keys) keys.hidden = false;

  var storage = (function () {
    try { return window.sessionStorage; } catch (e) { return null; }
  })();
  function remember(key, value) {
    if (!storage) return;
    try {
      if (value === null) storage.removeItem(key); else storage.setItem(key, value);
    } catch (e) { /* private mode: the tour still runs on this page */ }
  }
  function recall(key) {
    if (!storage) return null;
    try { return storage.getItem(key); } catch (e) { return null; }
  }

  // a link with ?tour=1 added (or removed), whatever form the URL has
  function withTour(url, on) {
    var u = new URL(url, location.href);
    if (on) u.searchParams.set("tour", "1"); else u.searchParams.delete("tour");
    return u.href;
  }

  var leaving = false;
  // `walking`: to another exhibit (whose title then takes the focus)
  function go(url, walking) {
    if (!url || leaving) return;
    leaving = true;
    if (walking) remember("yz-walked", "1");
    location.href = withTour(url, tour.on);
  }

  // arriving by the walk: focus the title, so screen readers read the new exhibit
  var title = exhibit.querySelector("h1");
  if (recall("yz-walked") && title) {
    remember("yz-walked", null);
    title.focus({ preventScroll: true });
  }

  // ---- the zoom viewer --------------------------------------------------------

  var links = Array.prototype.slice.call(exhibit.querySelectorAll("a.zoom-link"));
  var viewer = null;

  function Viewer() {
    var self = this;
    var d = document.createElement("dialog");
    d.className = "zoom-viewer";
    d.setAttribute("aria-label", "放大查看");
    d.innerHTML =
      '<div class="zv-stage" tabindex="-1"><img alt="" draggable="false"></div>' +
      '<div class="zv-bar">' +
      '<p class="zv-caption"></p>' +
      '<p class="zv-count" aria-live="polite"></p>' +
      '<button type="button" class="zv-prev" aria-label="上一张">‹</button>' +
      '<button type="button" class="zv-next" aria-label="下一张">›</button>' +
      '<button type="button" class="zv-out" aria-label="缩小">−</button>' +
      '<button type="button" class="zv-reset" aria-label="适合屏幕">1:1</button>' +
      '<button type="button" class="zv-in" aria-label="放大">+</button>' +
      '<button type="button" class="zv-close" aria-label="关闭">×</button>' +
      "</div>" +
      '<p class="zv-hint">滚轮或双指缩放 · 拖动平移 · 双击放大 · 键盘 + − 0 和方向键 · Esc 关闭</p>';
    document.body.appendChild(d);
    this.dialog = d;
    this.stage = d.querySelector(".zv-stage");
    this.img = d.querySelector("img");
    this.caption = d.querySelector(".zv-caption");
    this.count = d.querySelector(".zv-count");
    this.index = 0;
    this.scale = 1;
    this.fit = 1;
    this.x = 0;
    this.y = 0;
    this.w = 1;
    this.h = 1;
    this.pointers = {};
    this.lastTap = null;
    var several = links.length > 1;
    d.querySelector(".zv-prev").hidden = !several;
    d.querySelector(".zv-next").hidden = !several;
    d.querySelector(".zv-prev").addEventListener("click", function () { self.show(self.index - 1); });
    d.querySelector(".zv-next").addEventListener("click", function () { self.show(self.index + 1); });
    d.querySelector(".zv-in").addEventListener("click", function () { self.zoomBy(1.5); });
    d.querySelector(".zv-out").addEventListener("click", function () { self.zoomBy(1 / 1.5); });
    d.querySelector(".zv-reset").addEventListener("click", function () { self.reset(); });
    d.querySelector(".zv-close").addEventListener("click", function () { self.close(); });
    d.addEventListener("close", function () {
      document.documentElement.classList.remove("zv-open");
      if (links[self.index]) links[self.index].focus();
    });
    d.addEventListener("keydown", function (e) { self.key(e); });
    this.stage.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = self.point(e);
      self.zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), p.x, p.y);
    }, { passive: false });
    this.stage.addEventListener("pointerdown", function (e) { self.down(e); });
    this.stage.addEventListener("pointermove", function (e) { self.move(e); });
    this.stage.addEventListener("pointerup", function (e) { self.up(e); });
    this.stage.addEventListener("pointercancel", function (e) { delete self.pointers[e.pointerId]; });
    window.addEventListener("resize", function () { if (d.open) self.layout(); });
  }

  Viewer.prototype.open = function (i) {
    this.show(i);
    document.documentElement.classList.add("zv-open");
    this.dialog.showModal();
    this.layout();
    this.dialog.querySelector(".zv-close").focus();
  };

  Viewer.prototype.close = function () {
    if (this.dialog.open) this.dialog.close();
  };

  Viewer.prototype.show = function (i) {
    this.index = (i + links.length) % links.length;
    var link = links[this.index];
    var thumb = link.querySelector("img");
    this.w = thumb ? +thumb.getAttribute("width") || 1 : 1;
    this.h = thumb ? +thumb.getAttribute("height") || 1 : 1;
    this.img.alt = thumb ? thumb.alt : "";
    this.img.width = this.w;
    this.img.height = this.h;
    this.img.src = link.href;
    var figure = link.closest("figure");
    var cap = figure && figure.querySelector("figcaption");
    this.caption.textContent = cap ? cap.textContent : "";
    this.count.textContent = links.length > 1 ? this.index + 1 + " / " + links.length : "";
    this.layout();
  };

  // fits the picture to the stage, centred
  Viewer.prototype.layout = function () {
    var sw = this.stage.clientWidth || window.innerWidth;
    var sh = this.stage.clientHeight || window.innerHeight;
    this.fit = Math.min(sw / this.w, sh / this.h, 1) || 1;
    this.scale = this.fit;
    this.x = (sw - this.w * this.scale) / 2;
    this.y = (sh - this.h * this.scale) / 2;
    this.apply();
  };

  Viewer.prototype.reset = function () { this.layout(); };

  Viewer.prototype.zoomed = function () { return this.scale > this.fit * 1.01; };

  Viewer.prototype.apply = function () {
    var sw = this.stage.clientWidth, sh = this.stage.clientHeight;
    var W = this.w * this.scale, H = this.h * this.scale;
    // keep the picture on the stage: centred when smaller, edges inside when larger
    this.x = W <= sw ? (sw - W) / 2 : Math.min(0, Math.max(sw - W, this.x));
    this.y = H <= sh ? (sh - H) / 2 : Math.min(0, Math.max(sh - H, this.y));
    this.img.style.transform = "translate(" + this.x + "px," + this.y + "px) scale(" + this.scale + ")";
    this.dialog.classList.toggle("zoomed", this.zoomed());
    this.dialog.setAttribute("data-scale", (this.scale / this.fit).toFixed(2));
  };

  Viewer.prototype.zoomAt = function (factor, px, py) {
    var max = Math.max(this.fit * 8, 2);
    var next = Math.min(max, Math.max(this.fit, this.scale * factor));
    var k = next / this.scale;
    this.x = px - (px - this.x) * k;
    this.y = py - (py - this.y) * k;
    this.scale = next;
    this.apply();
  };

  Viewer.prototype.zoomBy = function (factor) {
    this.zoomAt(factor, this.stage.clientWidth / 2, this.stage.clientHeight / 2);
  };

  Viewer.prototype.pan = function (dx, dy) {
    this.x += dx;
    this.y += dy;
    this.apply();
  };

  Viewer.prototype.point = function (e) {
    var r = this.stage.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  Viewer.prototype.down = function (e) {
    // keep receiving the moves when the pointer leaves the stage
    try { this.stage.setPointerCapture(e.pointerId); } catch (err) { /* not an active pointer */ }
    this.pointers[e.pointerId] = this.point(e);
    this.moved = 0;
  };

  Viewer.prototype.move = function (e) {
    var before = this.pointers[e.pointerId];
    if (!before) return;
    var now = this.point(e);
    var ids = Object.keys(this.pointers);
    if (ids.length === 1) {
      this.moved += Math.abs(now.x - before.x) + Math.abs(now.y - before.y);
      this.pan(now.x - before.x, now.y - before.y);
    } else if (ids.length === 2) {
      // pinch: zoom by the change of distance, about the fingers' midpoint
      var other = this.pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
      var d0 = Math.hypot(before.x - other.x, before.y - other.y);
      var d1 = Math.hypot(now.x - other.x, now.y - other.y);
      if (d0 > 0) this.zoomAt(d1 / d0, (now.x + other.x) / 2, (now.y + other.y) / 2);
      this.moved += 100;
    }
    this.pointers[e.pointerId] = now;
  };

  Viewer.prototype.up = function (e) {
    var p = this.pointers[e.pointerId];
    delete this.pointers[e.pointerId];
    if (!p || this.moved > 10 || Object.keys(this.pointers).length) return;
    // a double tap or double click toggles between fitting and 2.5 times
    var t = Date.now();
    if (this.lastTap && t - this.lastTap.t < 350 && Math.abs(p.x - this.lastTap.x) < 30 && Math.abs(p.y - this.lastTap.y) < 30) {
      this.lastTap = null;
      if (this.zoomed()) this.reset(); else this.zoomAt(2.5, p.x, p.y);
    } else {
      this.lastTap = { t: t, x: p.x, y: p.y };
    }
  };

  Viewer.prototype.key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var step = 60, k = e.key;
    if (k === "+" || k === "=") this.zoomBy(1.5);
    else if (k === "-" || k === "_") this.zoomBy(1 / 1.5);
    else if (k === "0") this.reset();
    else if (k === "ArrowLeft") { if (this.zoomed()) this.pan(step, 0); else if (links.length > 1) this.show(this.index - 1); }
    else if (k === "ArrowRight") { if (this.zoomed()) this.pan(-step, 0); else if (links.length > 1) this.show(this.index + 1); }
    else if (k === "ArrowUp") { if (this.zoomed()) this.pan(0, step); }
    else if (k === "ArrowDown") { if (this.zoomed()) this.pan(0, -step); }
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  if (links.length && typeof HTMLDialogElement === "function") {
    links.forEach(function (link, i) {
      link.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
        e.preventDefault();
        if (tour.on) tour.pause(true);
        viewer = viewer || new Viewer();
        viewer.open(i);
      });
    });
  }
  function viewerOpen() { return !!(viewer && viewer.dialog.open); }

  // ---- the guided tour ----------------------------------------------------------

  var bar = exhibit.querySelector("[data-tour]");
  var tour = {
    on: false,
    paused: false,
    step: 0,
    left: 0,
    started: 0,
    timer: null,
    seconds: 8
  };
  var startButton = bar && bar.querySelector("[data-tour-start]");
  var pauseButton = bar && bar.querySelector("[data-tour-pause]");
  var stopButton = bar && bar.querySelector("[data-tour-stop]");
  var status = bar && bar.querySelector('[role="status"]');
  var progress = bar && bar.querySelector(".tour-progress span");
  var figures = Array.prototype.slice.call(exhibit.querySelectorAll(".exhibit-stage > figure, .exhibit-stage > div"));

  function say(text) { if (status) status.textContent = text; }

  function showStep(i) {
    var f = figures[i];
    if (f && f.scrollIntoView) f.scrollIntoView({ behavior: reduced ? "auto" : "smooth", block: "center" });
  }

  function runTimer(ms) {
    clearTimeout(tour.timer);
    tour.started = Date.now();
    tour.left = ms;
    if (progress) {
      progress.style.transition = "none";
      progress.style.width = (100 * (1 - ms / (tour.seconds * 1000))) + "%";
      if (!reduced) {
        void progress.offsetWidth;
        progress.style.transition = "width " + ms + "ms linear";
      }
      progress.style.width = "100%";
    }
    tour.timer = setTimeout(advance, ms);
  }

  // one step per picture of the exhibit, then the next exhibit
  function advance() {
    if (!tour.on || tour.paused) return;
    if (tour.step + 1 < Math.max(1, figures.length)) {
      tour.step += 1;
      showStep(tour.step);
      runTimer(tour.seconds * 1000);
    } else if (nextUrl) {
      go(nextUrl, true);
    } else {
      stopTour();
      say("导览结束：已参观全部展品。");
      var end = document.querySelector(".walk a:last-child");
      if (end) end.focus();
    }
  }

  function startTour(fromClick) {
    if (!bar) return;
    tour.on = true;
    tour.seconds = Math.max(0.2, parseFloat(exhibit.getAttribute("data-tour-seconds")) || 8);
    tour.paused = recall("yz-tour-paused") === "1";
    tour.step = 0;
    document.documentElement.classList.add("touring");
    startButton.setAttribute("aria-pressed", "true");
    startButton.hidden = true;
    pauseButton.hidden = false;
    stopButton.hidden = false;
    if (history.replaceState) history.replaceState(history.state, "", withTour(location.href, true));
    if (fromClick && document.documentElement.requestFullscreen && !document.fullscreenElement) {
      var p = document.documentElement.requestFullscreen();
      if (p && p.catch) p.catch(function () { /* the page fills the window instead */ });
    }
    showStep(0);
    if (tour.paused) { pauseTour(true); } else { say("自动导览中"); runTimer(tour.seconds * 1000); }
    pauseButton.focus({ preventScroll: true });
  }

  function pauseTour(paused) {
    if (!tour.on) return;
    tour.paused = paused;
    remember("yz-tour-paused", paused ? "1" : null);
    pauseButton.textContent = paused ? "继续" : "暂停";
    pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
    document.documentElement.classList.toggle("tour-paused", paused);
    if (paused) {
      clearTimeout(tour.timer);
      tour.left = Math.max(0, tour.left - (Date.now() - tour.started));
      if (progress) {
        var w = getComputedStyle(progress).width;
        progress.style.transition = "none";
        progress.style.width = w;
      }
      say("导览已暂停");
    } else {
      say("导览继续");
      runTimer(tour.left > 0 ? tour.left : tour.seconds * 1000);
    }
  }
  tour.pause = pauseTour;

  function stopTour() {
    if (!tour.on) return;
    tour.on = false;
    clearTimeout(tour.timer);
    remember("yz-tour-paused", null);
    document.documentElement.classList.remove("touring", "tour-paused");
    startButton.hidden = false;
    startButton.setAttribute("aria-pressed", "false");
    pauseButton.hidden = true;
    stopButton.hidden = true;
    if (progress) { progress.style.transition = "none"; progress.style.width = "0"; }
    if (history.replaceState) history.replaceState(history.state, "", withTour(location.href, false));
    if (document.fullscreenElement && document.exitFullscreen) {
      var p = document.exitFullscreen();
      if (p && p.catch) p.catch(function () {});
    }
    say("已退出自动导览");
    startButton.focus({ preventScroll: true });
  }

  if (bar) {
    bar.hidden = false;
    startButton.addEventListener("click", function () { startTour(true); });
    pauseButton.addEventListener("click", function () { pauseTour(!tour.paused); });
    stopButton.addEventListener("click", stopTour);
    // leaving full screen with the browser's own Esc ends the tour too
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement && tour.on && !leaving) stopTour();
    });
    if (new URLSearchParams(location.search).get("tour") === "1") startTour(false);
  }

  // ---- walking: keys and swipes ----------------------------------------------------

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || tag === "VIDEO";
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    // the viewer handles its own keys, and Esc closes it before anything else
    if (viewerOpen() || typing(e.target)) return;
    var k = e.key;
    if (k === "ArrowRight") { if (nextUrl) { e.preventDefault(); go(nextUrl, true); } }
    else if (k === "ArrowLeft") { if (prevUrl) { e.preventDefault(); go(prevUrl, true); } }
    else if (k === "Escape" || k === "Esc") {
      e.preventDefault();
      if (tour.on) stopTour(); else if (zoneUrl) go(zoneUrl);
    } else if ((k === " " || k === "Spacebar") && tour.on && !(e.target && e.target.tagName === "BUTTON")) {
      e.preventDefault();
      pauseTour(!tour.paused);
    }
  });

  var touch = null;
  exhibit.addEventListener("touchstart", function (e) {
    touch = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
  }, { passive: true });
  exhibit.addEventListener("touchend", function (e) {
    if (!touch || viewerOpen()) return;
    var dx = e.changedTouches[0].clientX - touch.x;
    var dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    // a clear horizontal swipe: left for the next exhibit, right for the previous
    if (Math.abs(dx) > 60 && Math.abs(dy) < Math.abs(dx) / 2) go(dx < 0 ? nextUrl : prevUrl, true);
  });
})();
