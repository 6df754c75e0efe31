// yunzhan serve: live reload. Injected into pages only by `yunzhan serve`.
(function () {
  "use strict";
  if (window.__yunzhanLive) return;
  window.__yunzhanLive = true;

  var scrollKey = "yunzhan-scroll:" + location.pathname + location.search;
  var overlayId = "yunzhan-overlay";

  // back where the reader was before the reload
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var at = JSON.parse(saved);
      var restore = function () { window.scrollTo(at[0], at[1]); };
      restore();
      document.addEventListener("DOMContentLoaded", restore);
      window.addEventListener("load", restore);
    }
  } catch (e) { /* storage may be off */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* storage may be off */ }
    location.reload();
  }

  // new stylesheets in place of the old ones, without a reload
  function swapStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("yunzhan", Date.now().toString(36));
      var next = link.cloneNode();
      next.href = url.href;
      var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      next.addEventListener("load", done);
      next.addEventListener("error", done);
      link.parentNode.insertBefore(next, link.nextSibling);
    });
  }

  function hideOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.parentNode.removeChild(old);
  }

  // every error of the site, FILE:LINE:COL: message, over the last good page
  function showOverlay(problems) {
    hideOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.92);color:#f4f4f5;padding:24px;" +
      "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";
    var head = document.createElement("div");
    head.style.cssText = "font:600 16px/1.5 system-ui,sans-serif;margin-bottom:12px;color:#fca5a5";
    head.textContent = "yunzhan: " + problems.length + " 个错误 (" + problems.length +
      " error" + (problems.length === 1 ? "" : "s") + ") — 页面显示的是最后一次成功的构建";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.title = "关闭";
    close.style.cssText = "position:absolute;top:12px;right:16px;font-size:24px;" +
      "background:none;border:0;color:inherit;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    var list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap;word-break:break-word";
    list.textContent = problems.join("\n");
    box.appendChild(close);
    box.appendChild(head);
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  var server = null;
  var source = new EventSource("/__yunzhan/live");
  source.addEventListener("hello", function (e) {
    // a restarted server may serve another site: start over
    if (server !== null && server !== e.data) reload();
    server = e.data;
    // connected: tools (and the browser test) can tell edits will be seen
    document.documentElement.setAttribute("data-yunzhan-live", "connected");
  });
  source.addEventListener("reload", reload);
  source.addEventListener("css", function () { hideOverlay(); swapStyles(); });
  source.addEventListener("errors", function (e) {
    var problems = JSON.parse(e.data);
    if (document.body) showOverlay(problems);
    else document.addEventListener("DOMContentLoaded", function () { showOverlay(problems); });
  });
})();
