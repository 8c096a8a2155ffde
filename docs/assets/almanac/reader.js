/*
 * Paper Almanac: the reader's own almanac, kept in this browser (localStorage) only.
 *
 * Every page: a "Save" toggle on every paper card (and search result), the header's
 * "Your almanac" button, and the reader's watched and hidden words applied to the lists
 * of cards and search results. The settings panel and the reading list (/saved/) are in
 * reader-panel.js, loaded only when the panel is opened or on the reading list's page.
 *
 * With nothing stored, no card's text is read: the watch settings are looked at first,
 * and only the save buttons are added. Matching is on whole words and phrases, without
 * case or accents: words on a card's title, AI summary and abstract (a result's title and
 * excerpt), authors on the card's full author list (its BibTeX entry; a result's authors
 * line). A paper both watched and hidden is watched. Nothing read from a card is ever
 * inserted as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // This file is <site>/assets/almanac/reader.js: the site root is two folders up.
  var SITE = new URL("../../", script ? script.src : location.href);
  // Per site, as Material scopes its own keys: sites on one origin keep their own.
  var SCOPE = SITE.pathname + ".almanac.";
  var KEYS = { prefs: SCOPE + "reader.v1", list: SCOPE + "reading-list.v1" };
  var ITEMS = "article.pa-card, li.pa-result";
  var LISTS = ".pa-cards, .pa-search__results";
  var DAY_RE = /\/days\/(\d{4})\/(\d{2})\/(\d{2})\/(?:index\.html)?$/;
  var panel = null;

  function read(key, fallback) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return value === null || value === undefined ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false;  // full, or storage refused (private mode): the caller says so
    }
  }

  // The saved papers; an entry that is not one (storage edited by hand) is left out.
  function list() {
    var stored = read(KEYS.list, null);
    return (stored && Array.isArray(stored.papers) ? stored.papers : []).filter(function (p) {
      return p && typeof p.id === "string" && /^\d{4}-\d{2}-\d{2}$/.test(p.day);
    });
  }

  function setList(papers) {
    var done = write(KEYS.list, { v: 1, papers: papers });
    syncButtons();
    return done;
  }

  function lines(value) {
    return Array.isArray(value) ? value.filter(function (s) {
      return typeof s === "string" && s.trim();
    }) : [];
  }

  function prefs() {
    var p = read(KEYS.prefs, {}) || {};
    return { words: lines(p.words), authors: lines(p.authors), hide: lines(p.hide),
      first: p.first === true };
  }

  // Lower case, accents off, every run of other characters one space, spaces around:
  // " text " holds " phrase " only as whole words.
  function norm(text) {
    return " " + String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  function found(terms, text) {
    return terms.filter(function (t) { return text.indexOf(t.n) >= 0; });
  }

  function terms(values) {
    return values.map(function (s) { return { s: s.trim(), n: norm(s) }; })
      .filter(function (t) { return t.n !== "  "; });
  }

  // A title's text, with rendered math given back as its TeX.
  function titleText(link) {
    var copy = link.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".pa-math"), function (m) {
      var tex = m.querySelector("annotation");
      m.textContent = tex ? "$" + tex.textContent + "$" : m.textContent;
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // The paper an item (card or result) shows: its id and day from its title's permalink.
  function paperOf(item) {
    var link = item.querySelector(".pa-card__title a[href], .pa-result__title a[href]");
    if (!link) return null;
    var url = new URL(link.getAttribute("href"), location.href);
    var day = DAY_RE.exec(url.pathname);
    var id = "";
    try {
      id = decodeURIComponent(url.hash.slice(1));
    } catch (error) {
      return null;
    }
    if (!id || !day) return null;
    return { id: id, day: day[1] + "-" + day[2] + "-" + day[3], title: titleText(link) };
  }

  // --- the reading list's buttons ---------------------------------------------------------

  // The visible word is part of the name (WCAG 2.5.3), the title tells the cards apart.
  function setPressed(button, saved) {
    var text = saved ? "Saved" : "Save";
    button.setAttribute("aria-pressed", saved ? "true" : "false");
    button.setAttribute("aria-label", text + ": " + button.getAttribute("data-pa-title"));
    button.textContent = text;
  }

  function savedIds() {
    var ids = {};
    list().forEach(function (p) { if (p && p.id) ids[p.id] = true; });
    return ids;
  }

  function toggleSaved(paper, button) {
    var papers = list();
    var at = -1;
    papers.forEach(function (p, i) { if (p && p.id === paper.id) at = i; });
    if (at >= 0) papers.splice(at, 1);
    else papers.push({ id: paper.id, day: paper.day, title: paper.title,
      savedAt: new Date().toISOString(), read: false });
    if (!setList(papers)) announce("Could not save: this browser refused to store the list");
    else announce(at >= 0 ? "Removed from your reading list" : "Saved to your reading list");
    button.focus();
  }

  function addSaveButton(item, ids) {
    if (item.querySelector(":scope > .pa-save")) return;
    var paper = paperOf(item);
    if (!paper) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pa-save";
    button.setAttribute("data-pa-id", paper.id);
    button.setAttribute("data-pa-title", paper.title);
    setPressed(button, ids[paper.id]);
    button.addEventListener("click", function () { toggleSaved(paper, button); });
    var heading = item.querySelector(".pa-card__title, .pa-result__title");
    heading.parentNode.insertBefore(button, heading.nextSibling);
  }

  function syncButtons() {
    var ids = savedIds();
    Array.prototype.forEach.call(document.querySelectorAll(".pa-save"), function (b) {
      setPressed(b, ids[b.getAttribute("data-pa-id")]);
    });
  }

  // --- watched and hidden -------------------------------------------------------------------

  function itemText(item, selector) {
    var out = [];
    Array.prototype.forEach.call(item.querySelectorAll(selector), function (n) {
      out.push(n.textContent);
    });
    return out.join(" ");
  }

  // Every author of a card, from its BibTeX entry (the card shows the first five); the
  // names line where there is no entry (a search result).
  function authorsText(item) {
    var pre = item.querySelector(".pa-card__bib pre");
    var m = pre && /^\s*author = \{(.*)\},?$/m.exec(pre.textContent);
    if (m) {
      return m[1].replace(/\\text[a-z]+\{\}|[{}\\]/g, " ").split(/ and /).map(norm).join("|");
    }
    return norm(itemText(item, ".pa-card__authors, .pa-result__meta"));
  }

  function clear(item) {
    item.classList.remove("pa-watched", "pa-folded", "pa-unfolded");
    Array.prototype.forEach.call(item.querySelectorAll(":scope > .pa-mark"), function (n) {
      n.remove();
    });
  }

  function mark(item, className, text) {
    var node = document.createElement("p");
    node.className = "pa-mark " + className;
    node.appendChild(text);
    item.insertBefore(node, item.firstChild);
    return node;
  }

  function quoted(list) {
    return list.map(function (t) { return t.s; }).join(", ");
  }

  function fold(item, hits) {
    item.classList.add("pa-folded");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pa-mark__show";
    button.textContent = "Show";
    button.setAttribute("aria-expanded", "false");
    var label = document.createElement("span");
    label.textContent = "Hidden: matches '" + hits.map(function (t) { return t.s; })
      .join("', '") + "' ";
    var stub = document.createDocumentFragment();
    stub.appendChild(label);
    stub.appendChild(button);
    mark(item, "pa-mark--hidden", stub);
    button.addEventListener("click", function () {
      var open = item.classList.toggle("pa-unfolded");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Fold" : "Show";
    });
  }

  function applyItem(item, w) {
    var words = norm(itemText(item, ".pa-card__title, .pa-card__summary, .pa-card__abstract p, " +
      ".pa-result__title, .pa-result__excerpt"));
    var watchedWords = found(w.words, words);
    var watchedAuthors = w.authors.length ? found(w.authors, authorsText(item)) : [];
    if (watchedWords.length || watchedAuthors.length) {
      item.classList.add("pa-watched");
      var says = [];
      if (watchedWords.length) says.push("Watched: " + quoted(watchedWords));
      if (watchedAuthors.length) says.push("Watched author: " + quoted(watchedAuthors));
      mark(item, "pa-mark--watched", document.createTextNode(says.join("; ")));
      return true;
    }
    var hidden = found(w.hide, words);
    if (hidden.length) fold(item, hidden);
    return false;
  }

  // Applies the settings to a list's items (or only to `fresh` ones, which are new), then
  // puts watched items first, within this list only, when asked; the archive's order
  // otherwise (given back when the setting is turned off).
  function applyList(container, w, fresh) {
    var items = Array.prototype.filter.call(container.children, function (n) {
      return n.matches(ITEMS);
    });
    if (!items.length) return;
    items.forEach(function (item, i) {
      if (!item.hasAttribute("data-pa-order")) item.setAttribute("data-pa-order", String(i));
      if (fresh && fresh.indexOf(item) < 0) return;
      clear(item);
      item.paWatched = w.active && applyItem(item, w);
    });
    var sorted = items.slice().sort(function (a, b) {
      return Number(a.getAttribute("data-pa-order")) - Number(b.getAttribute("data-pa-order"));
    });
    if (w.active && w.first) {
      sorted = sorted.filter(function (n) { return n.paWatched; })
        .concat(sorted.filter(function (n) { return !n.paWatched; }));
    }
    if (!sorted.some(function (n, i) { return n !== items[i]; })) return;
    var after = items[items.length - 1].nextSibling;
    sorted.forEach(function (n) { container.insertBefore(n, after); });
  }

  function watchSettings() {
    var p = prefs();
    var w = { words: terms(p.words), authors: terms(p.authors), hide: terms(p.hide),
      first: p.first };
    w.active = !!(w.words.length || w.authors.length || w.hide.length);
    return w;
  }

  var applied = false;  // whether this page shows settings that were once in force

  function apply() {
    var w = watchSettings();
    if (!w.active && !applied) return;
    applied = w.active;
    Array.prototype.forEach.call(document.querySelectorAll(LISTS), function (c) {
      applyList(c, w, null);
    });
  }

  // Search results arrive after the page (search.js says so with this event, for each
  // batch): new ones get their buttons and the settings.
  document.addEventListener("almanac:results", function (event) {
    var results = event.target;
    var fresh = Array.prototype.filter.call(results.children, function (n) {
      return n.matches(ITEMS) && !n.querySelector(":scope > .pa-save");
    });
    if (!fresh.length) return;
    var ids = savedIds();
    fresh.forEach(function (item) { addSaveButton(item, ids); });
    var w = watchSettings();
    if (w.active || applied) applyList(results, w, fresh);
  });

  // --- the panel, the reading list page, messages -----------------------------------------

  var live = null;

  function announce(message) {
    if (!live || !document.body.contains(live)) {
      live = document.createElement("p");
      live.className = "pa-visually-hidden";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  // reader-panel.js, once: a <script src> of the site itself, as the policy allows.
  function loadPanel() {
    if (!panel) {
      panel = new Promise(function (resolve, reject) {
        var js = document.createElement("script");
        js.src = new URL("assets/almanac/reader-panel.js", SITE).href;
        js.onload = function () {
          if (window.almanacReaderPanel) resolve(window.almanacReaderPanel);
          else reject(new Error("reader-panel.js did not load"));
        };
        js.onerror = function () {
          panel = null;
          reject(new Error("reader-panel.js did not load"));
        };
        document.head.appendChild(js);
      });
    }
    return panel;
  }

  window.almanacReader = {
    site: SITE, keys: KEYS, read: read, write: write, list: list, setList: setList,
    prefs: prefs, apply: apply, announce: announce,
  };

  function mount() {
    var ids = savedIds();
    Array.prototype.forEach.call(document.querySelectorAll(ITEMS), function (item) {
      addSaveButton(item, ids);
    });
    apply();
    Array.prototype.forEach.call(document.querySelectorAll("[data-almanac-reader-open]"),
      function (button) {
        button.hidden = false;
        if (button.pa_bound) return;
        button.pa_bound = true;
        button.addEventListener("click", function () {
          loadPanel().then(function (p) { p.open(button); }, function () {
            announce("The settings could not be loaded");
          });
        });
      });
    var saved = document.querySelector("[data-almanac-saved]");
    if (saved) {
      loadPanel().then(function (p) { p.readingList(saved); }, function () {
        saved.textContent = "The reading list could not be loaded.";
      });
    }
  }

  // Another tab changed the list or the settings: show it here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEYS.list) syncButtons();
    if (event.key === KEYS.prefs) apply();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
