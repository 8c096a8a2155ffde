/*
 * Paper Almanac search: a small UI over Pagefind's JavaScript API.
 *
 * One result per paper (the index holds one record per paper, see render/search.py),
 * linking to the paper's anchor on its day page. The full page (/search/) has filters
 * for topic, year and month and a sort by date or upvotes (the default Pagefind UI has
 * no sort); the header button opens a compact version in a dialog.
 *
 * Everything taken from the index is inserted as text (textContent), never as HTML.
 * The one exception is Pagefind's excerpt, which marks matches with <mark>: it is split
 * on those tags and each piece is decoded and inserted as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // This file is <site>/assets/almanac/search.js: the site root is two folders up.
  var SITE = new URL("../../", script ? script.src : location.href);
  var PAGE_SIZE = 20;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var SORTS = [
    ["", "Best match"],
    ["date:desc", "Newest first"],
    ["date:asc", "Oldest first"],
    ["upvotes:desc", "Most upvoted"],
  ];
  var loading = null;
  var counter = 0;

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", SITE).href).then(function (pf) {
        return pf.options({ excerptLength: 24 }).then(function () {
          pf.init();
          return pf;
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function shortDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return "";
    return Number(m[3]) + " " + MONTHS[Number(m[2]) - 1].slice(0, 3) + " " + m[1];
  }

  function monthLabel(value) {
    var m = /^(\d{4})-(\d{2})$/.exec(value || "");
    return m ? MONTHS[Number(m[2]) - 1] + " " + m[1] : value;
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  // Pagefind escapes excerpt text as HTML; turn the entities back into characters (the
  // result only ever becomes a text node). Unknown entities stay as they are.
  function decodeEntities(text) {
    return text.replace(/&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);/g, function (whole, name) {
      if (name.charAt(0) === "#") {
        var code = name.charAt(1) === "x" || name.charAt(1) === "X"
          ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
    });
  }

  // Excerpts arrive HTML-escaped with <mark> around matches: keep only the marks.
  function appendExcerpt(parent, excerpt) {
    var inMark = false;
    String(excerpt || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") { inMark = true; return; }
      if (part === "</mark>") { inMark = false; return; }
      if (!part) return;
      var node = document.createTextNode(decodeEntities(part));
      if (inMark) {
        var mark = el("mark");
        mark.appendChild(node);
        parent.appendChild(mark);
      } else {
        parent.appendChild(node);
      }
    });
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = el("li", { "class": "pa-result" });
    var href = new URL(meta.url || data.url, SITE).href;
    var heading = el("h2", { "class": "pa-result__title" });
    heading.appendChild(el("a", { href: href }, meta.title || meta.url || data.url));
    item.appendChild(heading);
    var facts = [];
    if (meta.day) facts.push("Featured " + shortDate(meta.day));
    if (meta.upvotes) facts.push(plural(Number(meta.upvotes) || 0, "upvote"));
    if (meta.authors) facts.push(meta.authors);
    item.appendChild(el("p", { "class": "pa-result__meta" }, facts.join(" · ")));
    var topics = (data.filters && data.filters.topic) || [];
    if (topics.length) {
      item.appendChild(el("p", { "class": "pa-result__topics" }, "Topics: " + topics.join(", ")));
    }
    if (data.excerpt) {
      var excerpt = el("p", { "class": "pa-result__excerpt" });
      appendExcerpt(excerpt, data.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function select(name, label, options) {
    var wrap = el("label", { "class": "pa-search__field" });
    wrap.appendChild(el("span", {}, label));
    var box = el("select", { name: name });
    options.forEach(function (opt) { box.appendChild(el("option", { value: opt[0] }, opt[1])); });
    wrap.appendChild(box);
    return { wrap: wrap, box: box };
  }

  function fillOptions(box, first, entries) {
    var current = box.value;
    box.textContent = "";
    box.appendChild(el("option", { value: "" }, first));
    entries.forEach(function (e) { box.appendChild(el("option", { value: e[0] }, e[1])); });
    box.value = current;
    if (box.value !== current) box.value = "";
  }

  function mount(root, full) {
    if (root.dataset.mounted) return root.searchApi;
    root.dataset.mounted = "1";
    root.textContent = "";
    var id = "pa-q-" + (++counter);
    var form = el("form", { "class": "pa-search__form", role: "search" });
    form.appendChild(el("label", { "for": id, "class": "pa-search__label" }, "Search papers"));
    var input = el("input", {
      id: id, type: "search", name: "q", autocomplete: "off", spellcheck: "false",
      placeholder: "Words of a title, an abstract or an author",
    });
    form.appendChild(input);
    var fields = {};
    if (full) {
      var row = el("div", { "class": "pa-search__filters" });
      fields.topic = select("topic", "Topic", [["", "All topics"]]);
      fields.year = select("year", "Year", [["", "All years"]]);
      fields.month = select("month", "Month", [["", "All months"]]);
      fields.sort = select("sort", "Sort", SORTS);
      ["topic", "year", "month", "sort"].forEach(function (k) { row.appendChild(fields[k].wrap); });
      form.appendChild(row);
    }
    var status = el("p", { "class": "pa-search__status", role: "status", "aria-live": "polite" });
    var list = el("ol", { "class": "pa-search__results" });
    var more = el("button", { type: "button", "class": "pa-search__more md-button", hidden: "" },
      "Show more results");
    [form, status, list, more].forEach(function (n) { root.appendChild(n); });

    var allFilters = null;
    var shown = 0;
    var current = null;
    var token = 0;

    function state() {
      var s = { q: input.value.trim() };
      Object.keys(fields).forEach(function (k) { s[k] = fields[k].box.value; });
      return s;
    }

    function refreshMonths() {
      if (!fields.month || !allFilters) return;
      var year = fields.year.box.value;
      var months = Object.keys(allFilters.month || {}).filter(function (m) {
        return year && m.slice(0, 4) === year;
      }).sort().map(function (m) { return [m, monthLabel(m)]; });
      fillOptions(fields.month.box, "All months", months);
      fields.month.box.disabled = !year;
    }

    function loadFilters(pf) {
      if (!full || allFilters) return Promise.resolve();
      return pf.filters().then(function (f) {
        allFilters = f || {};
        var topics = Object.keys(allFilters.topic || {}).sort(function (a, b) {
          return a.localeCompare(b, "en");
        });
        fillOptions(fields.topic.box, "All topics", topics.map(function (t) {
          return [t, t + " (" + allFilters.topic[t] + ")"];
        }));
        var years = Object.keys(allFilters.year || {}).sort().reverse();
        fillOptions(fields.year.box, "All years", years.map(function (y) { return [y, y]; }));
        applyParams();
        refreshMonths();
      });
    }

    function applyParams() {
      if (!full) return;
      var params = new URLSearchParams(location.search);
      ["topic", "year", "sort"].forEach(function (k) {
        if (params.has(k)) fields[k].box.value = params.get(k);
      });
      refreshMonths();
      if (params.has("month")) fields.month.box.value = params.get("month");
    }

    function syncUrl(s) {
      if (!full) return;
      var params = new URLSearchParams();
      Object.keys(s).forEach(function (k) { if (s[k]) params.set(k, s[k]); });
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
    }

    function showMore() {
      var mine = token;
      var slice = current.results.slice(shown, shown + PAGE_SIZE);
      shown += slice.length;
      more.hidden = shown >= current.results.length;
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
        if (mine !== token) return;
        items.forEach(function (data) { list.appendChild(resultItem(data)); });
      });
    }

    function run() {
      var s = state();
      syncUrl(s);
      var mine = ++token;
      var filters = {};
      ["topic", "year", "month"].forEach(function (k) { if (s[k]) filters[k] = s[k]; });
      var options = { filters: filters };
      if (s.sort) {
        var parts = s.sort.split(":");
        options.sort = {};
        options.sort[parts[0]] = parts[1];
      }
      if (!s.q && !Object.keys(filters).length) {
        list.textContent = "";
        more.hidden = true;
        status.textContent = full ? "Type a word, or choose a topic or a year." : "";
        return Promise.resolve();
      }
      status.textContent = "Searching…";
      return pagefind().then(function (pf) {
        return loadFilters(pf).then(function () {
          return pf.debouncedSearch(s.q || null, options, 200);
        });
      }).then(function (search) {
        if (search === null || mine !== token) return null;
        current = search;
        shown = 0;
        list.textContent = "";
        var n = search.results.length;
        status.textContent = n ? plural(n, "paper") + " found" : "No papers match.";
        return showMore();
      }).catch(function () {
        if (mine !== token) return;
        status.textContent = "Search is unavailable: the search index could not be loaded.";
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { pagefind().then(loadFilters).catch(function () {}); },
      { once: true });
    Object.keys(fields).forEach(function (k) {
      fields[k].box.addEventListener("change", function () {
        if (k === "year") refreshMonths();
        run();
      });
    });
    more.addEventListener("click", function () { if (current) showMore(); });

    if (full) {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      if (input.value || params.has("topic") || params.has("year")) {
        pagefind().then(loadFilters).then(run).catch(function () { run(); });
      } else {
        run();
      }
    }
    root.searchApi = { input: input, run: run };
    return root.searchApi;
  }

  // --- the dialog opened from the header -------------------------------------------------

  var dialog = null;

  function openDialog() {
    var page = document.querySelector("[data-almanac-search]");
    if (page) {  // on the search page itself: no dialog, go to its field
      page.querySelector("input[type=search]").focus();
      return;
    }
    if (!dialog) {
      dialog = el("dialog", { "class": "pa-dialog", "aria-label": "Search papers" });
      var close = el("button", { type: "button", "class": "pa-dialog__close" }, "Close");
      close.addEventListener("click", function () { dialog.close(); });
      var body = el("div", { "class": "pa-search pa-search--compact" });
      var full = el("a", { "class": "pa-dialog__full", href: new URL("search/", SITE).href },
        "Open the full search, with filters and sorting");
      [close, body, full].forEach(function (n) { dialog.appendChild(n); });
      document.body.appendChild(dialog);
      var api = mount(body, false);
      api.input.addEventListener("input", function () {
        var q = api.input.value.trim();
        full.href = new URL("search/" + (q ? "?q=" + encodeURIComponent(q) : ""), SITE).href;
      });
      // A search field eats the first Escape (it clears itself): close on any Escape.
      dialog.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); dialog.close(); }
      });
      dialog.addEventListener("click", function (event) {
        if (event.target === dialog) { dialog.close(); return; }
        var link = event.target.closest && event.target.closest("a");
        if (link) dialog.close();
      });
    }
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("input[type=search]").focus();
  }

  // Capture phase on window: runs before Material's instant navigation sees the click.
  window.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-almanac-search-open]");
    if (!trigger || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    openDialog();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.metaKey || event.ctrlKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) {
      return;
    }
    event.preventDefault();
    openDialog();
  });

  function mountPage() {
    var root = document.querySelector("[data-almanac-search]");
    if (root) mount(root, true);
  }

  // Material's instant navigation swaps pages without reloading scripts; document$ tells.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountPage);
  } else {
    mountPage();
  }
})();
