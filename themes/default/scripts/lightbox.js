// The lightbox of photo galleries. Without it (or without <dialog>) every photo
// stays a plain link to its large file. Keys: ← → move, Esc closes; swipe on
// touch screens; focus goes back to the photo's link when it closes.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll(".gallery a.lightbox-link"));
  if (!links.length || typeof HTMLDialogElement !== "function") return;

  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "图片浏览");
  dialog.innerHTML =
    '<figure><figcaption></figcaption></figure>' +
    '<p class="lb-count" aria-live="polite"></p>' +
    '<button type="button" class="lb-prev" aria-label="上一张">‹</button>' +
    '<button type="button" class="lb-next" aria-label="下一张">›</button>' +
    '<button type="button" class="lb-close" aria-label="关闭">×</button>';
  document.body.appendChild(dialog);
  // the picture is made on first use: an <img> without a size would shift the layout
  var img = null;
  var caption = dialog.querySelector("figcaption");
  var count = dialog.querySelector(".lb-count");
  var current = 0;
  var touchX = null;

  function show(i) {
    current = (i + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    if (!img) {
      img = document.createElement("img");
      dialog.querySelector("figure").insertBefore(img, caption);
    }
    img.removeAttribute("srcset");
    if (thumb) {
      img.setAttribute("width", thumb.getAttribute("width"));
      img.setAttribute("height", thumb.getAttribute("height"));
      img.alt = thumb.alt;
    }
    if (link.getAttribute("data-srcset")) {
      img.setAttribute("srcset", link.getAttribute("data-srcset"));
      img.setAttribute("sizes", "100vw");
    }
    img.setAttribute("src", link.getAttribute("href"));
    caption.textContent = link.getAttribute("data-caption") || "";
    caption.hidden = !caption.textContent;
    count.textContent = current + 1 + " / " + links.length;
  }

  // focus goes back at once: the browser's own return of focus (to the photo
  // that opened the dialog) would win over a later `close` listener
  function close() {
    if (!dialog.open) return;
    dialog.close();
    links[current].focus();
  }

  dialog.addEventListener("cancel", function (e) {
    e.preventDefault();
    close();
  });
  dialog.querySelector(".lb-prev").addEventListener("click", function () { show(current - 1); });
  dialog.querySelector(".lb-next").addEventListener("click", function () { show(current + 1); });
  dialog.querySelector(".lb-close").addEventListener("click", close);
  // a click on the backdrop (the dialog itself, outside the picture) closes
  dialog.addEventListener("click", function (e) {
    if (e.target === dialog) close();
  });
  dialog.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
    else if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
  });
  dialog.addEventListener("touchstart", function (e) {
    touchX = e.changedTouches[0].clientX;
  }, { passive: true });
  dialog.addEventListener("touchend", function (e) {
    if (touchX === null) return;
    var dx = e.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 40) show(current + (dx < 0 ? 1 : -1));
  });

  links.forEach(function (link, i) {
    link.addEventListener("click", function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      show(i);
      dialog.showModal();
      dialog.querySelector(".lb-close").focus();
    });
  });
})();
