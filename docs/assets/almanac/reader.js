/*
 * Paper Almanac: the reader's own almanac, in this browser's storage only. On every page
 * a Save toggle on each card and search result, and the header's "Your almanac" button;
 * the panel, the reading list (/saved/) and the matching of watched and hidden words are
 * in reader-panel.js, loaded only by readers who use them: with nothing stored, no card's
 * text is read and nothing more is loaded (bench/WEIGHT.md).
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

  // A toggle: its name stays "Save: <title>", aria-pressed tells whether it is saved.
  function setPressed(button, saved) {
    button.setAttribute("aria-pressed", saved ? "true" : "false");
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
    button.setAttribute("aria-label", "Save: " + paper.title);
    button.textContent = "Save";
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

  // Whether the reader watches or hides anything: only then is the matching code (in
  // reader-panel.js) loaded and a card's text read; a reader who does not pays nothing.
  function watching() {
    var p = prefs();
    return !!(p.words.length || p.authors.length || p.hide.length);
  }

  var applied = false;  // whether this page shows settings that were once in force

  function apply() {
    var active = watching();
    if (!active && !applied) return;
    applied = active;
    loadPanel().then(function (p) { p.apply(); }, function () {
      announce("Your watched and hidden words could not be applied");
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
    if (watching() || applied) {
      loadPanel().then(function (p) { p.applyList(results, fresh); }, function () {});
    }
  });

  // --- the panel, the reading list page, messages -----------------------------------------

  function announce(message) {
    if (window.almanacCards) window.almanacCards.announce(message);  // cards.js
  }

  // reader-panel.js and its style sheet, once: files of the site itself, as the policy
  // allows. The panel is shown (and papers marked) only once both are in.
  function loadPanel() {
    if (!panel) {
      panel = Promise.all([load("script", "reader-panel.js"), load("link", "reader-panel.css")])
        .then(function () {
          if (window.almanacReaderPanel) return window.almanacReaderPanel;
          throw new Error("reader-panel.js did not load");
        });
      panel.catch(function () { panel = null; });
    }
    return panel;
  }

  function load(tag, name) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      var url = new URL("assets/almanac/" + name, SITE).href;
      if (tag === "link") {
        node.rel = "stylesheet";
        node.href = url;
      } else {
        node.src = url;
      }
      node.onload = resolve;
      node.onerror = function () { reject(new Error(name + " did not load")); };
      document.head.appendChild(node);
    });
  }

  window.almanacReader = {
    site: SITE, keys: KEYS, read: read, write: write, list: list, setList: setList,
    prefs: prefs, apply: apply, announce: announce, items: ITEMS, lists: LISTS,
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
