/* yunzhan search: queries the index built with the site (src/search/; this
   mirrors src/search/query.rs). Index files are scripts calling __yzs(name,
   data), loaded on demand with <script>: works over http and from file://. */
(() => {
'use strict';
var form = document.getElementById('search');
if (!form || !form.getAttribute('data-index')) return;
var input = document.getElementById('search-q');
var status = document.getElementById('search-status');
var list = document.getElementById('search-results');
var more = document.getElementById('search-more');
var facets = ['kind', 'level', 'platform'];
var entryUrl = new URL(form.getAttribute('data-index'), location.href).href;
var dir = entryUrl.replace(/[^/]*$/, '');
var hash = /index\.([^./]+)\.js$/.exec(entryUrl)[1];
var root = new URL('../', dir).href;
var fileMode = location.protocol === 'file:';

/* ---- loading ---- */
var files = {};
window.__yzs = (name, data) => {
  var f = files[name];
  if (f) f.ok(data);
};
function load(name) {
  if (!files[name]) {
    var f = files[name] = {};
    f.p = new Promise((ok, fail) => {
      f.ok = ok;
      var s = document.createElement('script');
      s.src = dir + name + '.' + hash + '.js';
      s.onerror = () => {
        delete files[name];
        fail(new Error('cannot load ' + s.src));
      };
      document.head.appendChild(s);
    });
  }
  return files[name].p;
}

/* ---- decoding (src/search/encode.rs) ---- */
function val(c) {
  return c >= 97 ? c - 71 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : c === 43 ? 62 : 63;
}
function numbers(s) {
  var out = [], n = 0, v, i;
  for (i = 0; i < s.length; i++) {
    v = val(s.charCodeAt(i));
    n = n * 32 + (v & 31);
    if (v < 32) { out.push(n); n = 0; }
  }
  return out;
}
function docSet(s) {
  var out = [], i, b, v, prev = -1, gaps;
  if (s.charAt(0) === '!') {
    for (i = 1; i < s.length; i++) {
      v = val(s.charCodeAt(i));
      for (b = 0; b < 6; b++) if (v & (1 << b)) out.push((i - 1) * 6 + b);
    }
    return out;
  }
  gaps = numbers(s);
  for (i = 0; i < gaps.length; i++) out.push(prev += gaps[i]);
  return out;
}
function postings(raw) {
  var f = raw.split(','), body = f[3].split('.'), docs = body[0] ? docSet(body[0]) : [], tf = [], i, v;
  if (body[1]) {
    for (i = 0; i < docs.length; i++) {
      v = val(body[1].charCodeAt((i / 3) | 0));
      tf.push(((v >> (2 * (i % 3))) & 3) + 1);
    }
  }
  return { df: numbers(f[0])[0], title: f[1] ? docSet(f[1]) : [], meta: f[2] ? docSet(f[2]) : [], body: docs, tf: tf };
}

/* ---- the index ---- */
var X, N, syl, prior;
var shards = {};
/* first index of arr whose item is > term (upper) or >= term */
function bound(arr, term, upper) {
  var lo = 0, hi = arr.length, mid;
  while (lo < hi) {
    mid = (lo + hi) >> 1;
    if (arr[mid] < term || (upper && arr[mid] === term)) lo = mid + 1; else hi = mid;
  }
  return lo;
}
function shard(i) {
  if (shards[i]) return Promise.resolve(shards[i]);
  return load('t' + i).then((text) => {
    var terms = [], raws = [];
    text.split('|').forEach((e) => {
      var c = e.indexOf(':');
      terms.push(e.slice(0, c));
      raws.push(e.slice(c + 1));
    });
    return (shards[i] = { terms: terms, raws: raws });
  });
}
/* Exact: [[term, raw]] or []. Prefix: up to x[7] terms from term on. */
function lookup(c) {
  var i = Math.max(bound(X.t, c.term, 1) - 1, 0), found = [];
  function scan(i) {
    if (i >= X.t.length) return found;
    return shard(i).then((s) => {
      var k = bound(s.terms, c.term);
      if (!c.prefix) {
        if (s.terms[k] === c.term) found.push([c.term, s.raws[k]]);
        return found;
      }
      for (; k < s.terms.length && found.length < X.x[7]; k++) {
        if (s.terms[k].indexOf(c.term) !== 0) return found;
        found.push([s.terms[k], s.raws[k]]);
      }
      return found.length < X.x[7] ? scan(i + 1) : found;
    });
  }
  return scan(i);
}

/* ---- queries (src/search/text.rs: normalize, runs, query_terms) ---- */
function normalize(s) {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => {
    return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
  }).replace(/\u3000/g, ' ').replace(/[A-Z]+/g, (c) => c.toLowerCase());
}
var RUN = /([\u3007\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2EBEF}\u{30000}-\u{323AF}]+)|([a-z0-9]+)/gu;
function parse(query) {
  var q = { runs: [], cands: [], han: [] }, m, r = 0, text = normalize(query);
  RUN.lastIndex = 0;
  function add(term, prefix, start, end) {
    q.cands.push({ term: term, prefix: prefix, run: r, start: start, end: end });
  }
  while ((m = RUN.exec(text))) {
    var s = m[0], i, j;
    if (m[1]) {
      var ch = Array.from(s);
      q.runs.push(ch.length);
      q.han.push(s);
      if (ch.length === 1) add(s, true, 0, 1);
      for (i = 0; i < ch.length; i++)
        for (j = i + 2; j <= Math.min(ch.length, i + 8); j++) add(ch.slice(i, j).join(''), false, i, j);
    } else {
      var n = s.length, steps = [0];
      q.runs.push(n);
      q.han.push(s);
      add(s, false, 0, n);
      if (n >= 2) add(s, true, 0, n);
      for (i = 0; i < n; i++) {
        if (steps[i] === undefined) continue;
        for (j = i + 1; j <= Math.min(n, i + 6); j++)
          if (syl[s.slice(i, j)] && !(steps[j] <= steps[i] + 1)) steps[j] = steps[i] + 1;
      }
      for (i = 0; i < n; i++) {
        if (steps[i] === undefined) continue;
        for (j = i + 1; j <= n; j++)
          if (steps[j] !== undefined && !(i === 0 && j === n) && steps[j] - steps[i] <= 6) add(s.slice(i, j), false, i, j);
        if (i > 0 && n - i >= 2) add(s.slice(i), true, i, n);
      }
    }
    r++;
  }
  return q;
}
function popcount(v) {
  var c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}
function attrs(d) {
  var w = X.w, a = X.a, c = w === 2 ? val(a.charCodeAt(2 * d)) * 64 + val(a.charCodeAt(2 * d + 1)) : val(a.charCodeAt(d));
  return X.c[c];
}
/* Results for a query: {hits: [[doc, score]], counts: {facet: [n per option]}, words} */
function search(query, filters) {
  var q = parse(query);
  if (!q.runs.length) return Promise.resolve({ hits: [], counts: null, words: [] });
  var offsets = [], at = 0, maxPos = X.x[8];
  q.runs.forEach((len) => { offsets.push(at); at += len; });
  function mask(run, start, end) {
    var m = 0, p;
    for (p = offsets[run] + start; p < offsets[run] + end && p < maxPos; p++) m |= 1 << p;
    return m >>> 0;
  }
  return Promise.all(q.cands.map(lookup)).then((results) => {
    var matched = {}, x = X.x;
    results.forEach((found, ci) => {
      var c = q.cands[ci], m = mask(c.run, c.start, c.end);
      found.forEach((f) => {
        var factor = !c.prefix || f[0] === c.term ? 1 : x[6], e = matched[f[0]];
        if (!e) e = matched[f[0]] = { f: factor, m: 0, raw: f[1] };
        e.f = Math.max(e.f, factor);
        e.m = (e.m | m) >>> 0;
      });
    });
    var score = new Float64Array(N), cover = new Uint32Array(N), touched = [], words = [];
    var K1 = x[0], B = x[1], BT = x[2], LS = x[3];
    function hit(d, add, m) {
      if (!score[d] && !cover[d]) touched.push(d);
      score[d] += add;
      cover[d] = (cover[d] | m) >>> 0;
    }
    Object.keys(matched).sort().forEach((term) => {
      var e = matched[term], p = postings(e.raw), w = e.f * Math.log(1 + (N - p.df + 0.5) / (p.df + 0.5)), i, d, tf;
      if (/[^a-z0-9]/.test(term)) words.push(term);
      for (i = 0; i < p.title.length; i++) {
        d = p.title[i];
        hit(d, w * x[4] * (K1 + 1) / (1 + K1 * (1 - BT + BT * val(X.e.charCodeAt(d)) / LS)), e.m);
      }
      for (i = 0; i < p.meta.length; i++) hit(p.meta[i], w * x[5], e.m);
      for (i = 0; i < p.body.length; i++) {
        d = p.body[i];
        tf = p.tf.length ? p.tf[i] : 1;
        hit(d, w * tf * (K1 + 1) / (tf + K1 * (1 - B + B * val(X.d.charCodeAt(d)) / LS)), e.m);
      }
    });
    q.runs.forEach((len, r) => { if (/^[a-z0-9]+$/.test(q.han[r])) words.push(q.han[r]); });
    var runMasks = q.runs.map((len, r) => mask(r, 0, len));
    var best = 0, rows = touched.map((d) => {
      var sum = 0;
      runMasks.forEach((rm) => { sum += popcount(cover[d] & rm) / Math.max(popcount(rm), 1); });
      var cov = sum / runMasks.length, a = attrs(d);
      if (cov > best) best = cov;
      return { d: d, s: score[d] * prior[a[0]], cov: cov, a: a };
    }).filter((h) => h.cov >= best - x[9] - 1e-9);
    var counts = { kind: [], level: [], platform: [] }, F = [filters.kind, filters.level, filters.platform];
    function pass(a, skip) {
      return [0, 1, 2].every((i) => i === skip || F[i] < 0 || (i < 2 ? a[i] === F[i] : (a[2] >> F[i]) & 1));
    }
    function count(c, i) { c[i] = (c[i] || 0) + 1; }
    rows.forEach((h) => {
      if (pass(h.a, 0)) count(counts.kind, h.a[0]);
      if (pass(h.a, 1) && h.a[1] >= 0) count(counts.level, h.a[1]);
      if (pass(h.a, 2)) for (var p = 0; p < 30; p++) if ((h.a[2] >> p) & 1) count(counts.platform, p);
    });
    var hits = rows.filter((h) => pass(h.a));
    hits.sort((a, b) => (a.cov < best - 1e-9) - (b.cov < best - 1e-9) || b.s - a.s || a.d - b.d);
    return { hits: hits.map((h) => [h.d, h.s]), counts: counts, words: words };
  });
}

/* ---- the page ---- */
function row(d) {
  return load('d' + Math.floor(d / X.s)).then((rows) => rows[d % X.s]);
}
/* a result: its row and its place's (whose URL a relative one extends) */
function doc(d) {
  return row(d).then((r) => (r[3] < 0 ? [r] : row(r[3]).then((p) => [r, p]))).then((rp) => {
    var r = rp[0], p = rp[1];
    return { url: r[0].charAt(0) === '/' ? r[0].slice(1) : p[0].slice(1) + r[0], title: r[1], kind: r[2], place: p ? p[1] : '', excerpt: r[4], date: r[5] };
  });
}
function href(url) {
  return root + url + (fileMode && (url === '' || /\/$/.test(url)) ? 'index.html' : '');
}
function marked(el, text, re) {
  var last = 0, m;
  if (re) {
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      if (!m[0]) { re.lastIndex++; continue; }
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      el.appendChild(document.createElement('mark')).textContent = m[0];
      last = m.index + m[0].length;
    }
  }
  el.appendChild(document.createTextNode(text.slice(last)));
  return el;
}
function make(tag, cls, parent) {
  var el = document.createElement(tag);
  if (cls) el.className = cls;
  if (parent) parent.appendChild(el);
  return el;
}
var state = { token: 0, hits: [], shown: 0, re: null };
function show(token) {
  var slice = state.hits.slice(state.shown, state.shown + 10);
  return Promise.all(slice.map((h) => doc(h[0]))).then((rows) => {
    if (token !== state.token) return;
    var first = null;
    rows.forEach((r) => {
      var li = make('li', 'search-result', list);
      var a = marked(make('a', 'search-result-title', make('h2', 'search-result-heading', li)), r.title, state.re);
      a.href = href(r.url);
      var meta = make('p', 'search-result-meta', li);
      make('span', 'search-result-kind', meta).textContent = X.k[r.kind][1];
      if (r.place) make('span', 'search-result-place', meta).textContent = r.place;
      if (r.date) {
        var t = make('time', '', meta);
        t.dateTime = t.textContent = r.date;
      }
      if (r.excerpt) marked(make('p', 'search-result-excerpt', li), r.excerpt, state.re);
      first = first || a;
    });
    state.shown += rows.length;
    more.hidden = state.shown >= state.hits.length;
    return first;
  });
}
function keys(name) {
  return X[name.charAt(0)].map((k) => k[0]);
}
function filterValues() {
  var f = {};
  facets.forEach((name) => {
    var sel = form.elements[name], v = sel ? sel.value : '';
    f[name] = v ? keys(name).indexOf(v) : -1;
  });
  return f;
}
function updateCounts(counts) {
  facets.forEach((name) => {
    var sel = form.elements[name];
    if (!sel) return;
    Array.from(sel.options).forEach((o) => {
      if (!o.value) return;
      var label = o.getAttribute('data-label') || o.textContent;
      o.setAttribute('data-label', label);
      var n = counts ? counts[name][keys(name).indexOf(o.value)] || 0 : null;
      o.textContent = n === null ? label : label + '（' + n + '）';
    });
  });
}
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function syncUrl(query) {
  var params = new URLSearchParams();
  if (query) params.set('q', query);
  facets.forEach((name) => {
    var sel = form.elements[name];
    if (sel && sel.value) params.set(name, sel.value);
  });
  var s = params.toString();
  try {
    history.replaceState(null, '', s ? '?' + s : location.pathname);
  } catch (e) { /* file:// in some browsers */ }
}
function run() {
  var query = input.value.trim(), token = ++state.token;
  syncUrl(query);
  if (!query) {
    list.textContent = '';
    list.setAttribute('data-query', '');
    more.hidden = true;
    status.textContent = '';
    updateCounts(null);
    return Promise.resolve();
  }
  return search(query, filterValues()).then((r) => {
    if (token !== state.token) return;
    state.hits = r.hits;
    state.shown = 0;
    var words = r.words.concat(normalize(query).split(/\s+/)).filter((w) => w.length > 0);
    words.sort((a, b) => b.length - a.length);
    state.re = words.length ? new RegExp(words.map(escapeRe).join('|'), 'gi') : null;
    updateCounts(r.counts);
    list.textContent = '';
    return show(token).then(() => {
      if (token !== state.token) return;
      status.textContent = r.hits.length
        ? '找到 ' + r.hits.length + ' 条结果'
        : '没有找到与“' + query + '”相关的内容';
      list.setAttribute('data-query', query);
    });
  }, failed);
}

function failed() {
  status.textContent = '搜索索引载入失败，请刷新页面重试';
}
var timer;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
}
input.addEventListener('input', soon);
form.addEventListener('change', (e) => {
  if (e.target !== input) run();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(timer);
  run();
});
more.addEventListener('click', () => {
  show(state.token).then((first) => { if (first) first.focus(); });
});
/* arrow keys move between the box and the results */
function links() {
  return Array.from(list.querySelectorAll('a'));
}
input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' && links().length) {
    e.preventDefault();
    links()[0].focus();
  }
});
list.addEventListener('keydown', (e) => {
  var all = links(), i = all.indexOf(document.activeElement);
  if (i < 0 || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
  e.preventDefault();
  var next = e.key === 'ArrowUp' ? all[i - 1] || input : all[i + 1] || (more.hidden ? null : more);
  if (next) next.focus();
});

status.textContent = '正在载入搜索索引…';
load('index').then((x) => {
  X = x;
  N = x.n;
  syl = {};
  x.y.split(' ').forEach((s) => { syl[s] = 1; });
  prior = x.k.map((k) => k[2]);
  status.textContent = '';
  var params = new URLSearchParams(location.search);
  if (params.get('q')) input.value = params.get('q');
  facets.forEach((name) => {
    var sel = form.elements[name];
    if (sel && params.get(name)) sel.value = params.get(name);
  });
  form.setAttribute('data-ready', '');
  return run();
}, failed);
})();
