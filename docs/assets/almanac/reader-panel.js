/*
 * Paper Almanac: the "Your almanac" panel and the reading list page (/saved/).
 *
 * Loaded by reader.js only when the panel is opened, on the reading list's page, or when
 * the reader watches or hides words (the matching is here too); it
 * uses reader.js's storage (window.almanacReader), so everything stays in this browser.
 *
 * The reading list holds, per paper, its id, day, title, when it was saved and whether
 * it was read. Titles and authors are refreshed from the archive itself: each day's page
 * is fetched once and the paper's card found in it by id (or by one of its old ids).
 * Exports copy the archive's own text: the BibTeX entry of each card and, for RIS, the
 * paper's record from the day's .ris file (linked from the day page). Nothing read from
 * a page or a file is inserted as HTML.
 */
(function () {
  "use strict";

  var R = window.almanacReader;
  if (!R) return;
  var SITE = R.site;
  var FORMAT = "paper-almanac-reading-list";
  var VERSION = 1;
  var MAX_IMPORT = 5 * 1024 * 1024;
  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(n, word, words) {
    return n.toLocaleString("en") + " " + (n === 1 ? word : words || word + "s");
  }

  function shortDate(day) {
    var m = DAY.exec(day || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }

  function download(name, text, type) {
    window.almanacCards.download(name, text, type);  // cards.js, on every page
  }

  // --- the panel ---------------------------------------------------------------------------

  var dialog = null;
  var opener = null;
  var fields = {};

  function area(form, name, label, hint) {
    var id = "pa-reader-" + name;
    form.appendChild(el("label", { "for": id, "class": "pa-reader__label" }, label));
    form.appendChild(el("p", { id: id + "-hint", "class": "pa-reader__hint" }, hint));
    fields[name] = el("textarea", { id: id, name: name, rows: "3", spellcheck: "false",
      "aria-describedby": id + "-hint" });
    form.appendChild(fields[name]);
  }

  function buildPanel() {
    dialog = el("dialog", { "class": "pa-dialog pa-reader", "aria-labelledby": "pa-reader-title",
      "aria-describedby": "pa-reader-about" });
    dialog.appendChild(el("h2", { id: "pa-reader-title", "class": "pa-reader__title" },
      "Your almanac"));
    dialog.appendChild(el("p", { id: "pa-reader-about", "class": "pa-reader__hint" },
      "Kept in this browser only, never sent anywhere. One word, phrase or name per line; " +
      "matched as whole words, whatever the case and accents. A paper that is both watched " +
      "and hidden is shown, as watched."));
    var form = el("form", { "class": "pa-reader__form" });
    area(form, "words", "Watched words and phrases",
      "Papers with one in their title, AI summary or abstract are marked, on lists of " +
      "papers and in search results.");
    area(form, "authors", "Watched authors",
      "A full name, or a part of one such as a family name; every author of a paper counts.");
    area(form, "hide", "Hidden words",
      "Papers with one in their title, AI summary or abstract are folded to one line, " +
      "with a button to show them.");
    var check = el("label", { "class": "pa-reader__check" });
    fields.first = el("input", { type: "checkbox", name: "first" });
    check.appendChild(fields.first);
    check.appendChild(document.createTextNode(" Show watched papers first"));
    form.appendChild(check);
    var saved = el("p", { "class": "pa-reader__saved" });
    fields.count = el("a", { href: new URL("saved/", SITE).href }, "Your reading list");
    saved.appendChild(fields.count);
    form.appendChild(saved);
    var buttons = el("p", { "class": "pa-reader__buttons" });
    var save = el("button", { type: "submit", "class": "pa-reader__button pa-reader__button--primary" },
      "Save");
    var cancel = el("button", { type: "button", "class": "pa-reader__button" }, "Cancel");
    buttons.appendChild(save);
    buttons.appendChild(cancel);
    form.appendChild(buttons);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  // a click on the backdrop
    });
    dialog.addEventListener("close", function () {
      if (opener && document.body.contains(opener)) opener.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = function (name) {
        return fields[name].value.split(/\r?\n/).map(function (s) {
          return s.replace(/\s+/g, " ").trim();
        }).filter(Boolean);
      };
      var done = R.write(R.keys.prefs, { v: 1, words: value("words"), authors: value("authors"),
        hide: value("hide"), first: fields.first.checked });
      R.apply();
      dialog.close();
      R.announce(done ? "Your almanac is saved" : "Could not save: this browser refused to store it");
    });
  }

  function open(button) {
    opener = button;
    if (!dialog) buildPanel();
    var p = R.prefs();
    fields.words.value = p.words.join("\n");
    fields.authors.value = p.authors.join("\n");
    fields.hide.value = p.hide.join("\n");
    fields.first.checked = p.first;
    var n = R.list().length;
    fields.count.textContent = "Your reading list (" + plural(n, "paper") + ")";
    if (!dialog.open) dialog.showModal();
    fields.words.focus();
  }

  // --- the archive's own pages ---------------------------------------------------------------

  var days = {};

  function dayPath(day) {
    return "days/" + day.replace(/-/g, "/") + "/";
  }

  // A day's page, parsed (null when it cannot be had), fetched once.
  function dayPage(day) {
    if (!days[day]) {
      var url = new URL(dayPath(day), SITE).href;
      days[day] = fetch(url).then(function (response) {
        if (!response.ok) return null;
        return response.text().then(function (text) {
          return { url: url, doc: new DOMParser().parseFromString(text, "text/html") };
        });
      }).catch(function () { return null; });
    }
    return days[day];
  }

  // A paper's card on its day's page, by its id or an old id (an alias span in the card).
  function cardOf(page, id) {
    var node = page && page.doc.getElementById(id);
    return node && node.closest ? node.closest("article.pa-card") : null;
  }

  function textOf(card, selector) {
    var node = card.querySelector(selector);
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // The day's RIS records by paper id, from the .ris file its page links to.
  var risFiles = {};

  function risOf(day) {
    if (!risFiles[day]) {
      risFiles[day] = dayPage(day).then(function (page) {
        var link = page && page.doc.querySelector("p.pa-feeds a[href$='.ris']");
        if (!link) return null;
        return fetch(new URL(link.getAttribute("href"), page.url).href).then(function (r) {
          return r.ok ? r.text().then(risRecords) : null;
        });
      }).catch(function () { return null; });
    }
    return risFiles[day];
  }

  // Each record as it is in the file, from its "TY  - " line through its "ER  - " line.
  function risRecords(text) {
    var records = {};
    var lines = null;
    var id = null;
    text.split(/\r?\n/).forEach(function (line) {
      if (/^TY {2}- /.test(line)) { lines = []; id = null; }
      if (!lines) return;
      lines.push(line);
      var m = /^ID {2}- (.*)$/.exec(line);
      if (m) id = m[1].trim();
      if (/^ER {2}- ?/.test(line)) {
        if (id !== null) records[id] = lines.join("\n");
        lines = null;
      }
    });
    return records;
  }

  // --- the reading list page -------------------------------------------------------------------

  function relRoot() {
    var rest = location.pathname.slice(SITE.pathname.length);
    var depth = rest.split("/").length - 1;
    return depth > 0 ? new Array(depth + 1).join("../") : "./";
  }

  function readingList(root) {
    if (root.getAttribute("data-mounted")) return;
    root.setAttribute("data-mounted", "1");
    root.textContent = "";
    var count = el("p", { "class": "pa-saved__count", tabindex: "-1" });
    var tools = el("div", { "class": "pa-saved__tools" });
    var status = el("p", { "class": "pa-saved__status", role: "status", "aria-live": "polite" });
    var items = el("ol", { "class": "pa-saved__list" });
    var button = function (label, handler) {
      var b = el("button", { type: "button", "class": "md-button" }, label);
      b.addEventListener("click", handler);
      tools.appendChild(b);
      return b;
    };
    button("Export BibTeX", exportBibtex);
    button("Export RIS", exportRis);
    button("Export the list (JSON)", exportList);
    // The file input is hidden; a button of the same look as the others opens it.
    var pick = el("input", { type: "file", accept: ".json,application/json",
      "class": "pa-saved__file", hidden: "" });
    button("Import a list (JSON)", function () { pick.click(); });
    tools.appendChild(pick);
    [count, tools, status, items].forEach(function (n) { root.appendChild(n); });
    pick.addEventListener("change", function () {
      var file = pick.files && pick.files[0];
      pick.value = "";
      if (file) importFile(file);
    });

    var found = {};  // id -> {title, authors} from the archive, or false: not on its day

    function say(message, error) {
      status.textContent = message;
      status.classList.toggle("pa-saved__status--error", !!error);
    }

    function store(papers) {
      if (!R.setList(papers)) say("Could not save: this browser refused to store the list.", true);
      render();
    }

    function update(id, change) {
      store(R.list().filter(function (p) {
        if (p.id === id) change(p);
        return p.id !== id || !p.removed;
      }));
    }

    function render() {
      var papers = R.list();
      var read = papers.filter(function (p) { return p.read; }).length;
      count.textContent = papers.length ? plural(papers.length, "paper") + " saved: " +
        read.toLocaleString("en") + " read, " + (papers.length - read).toLocaleString("en") +
        " to read." : "Your reading list is empty: save papers with the Save button on their cards.";
      items.textContent = "";
      papers.forEach(function (p, i) { items.appendChild(item(p, i)); });
    }

    function item(p, i) {
      var li = el("li", { "class": "pa-saved__item" + (p.read ? " pa-saved__item--read" : "") });
      var title = el("p", { "class": "pa-saved__title" });
      title.appendChild(el("a", { href: relRoot() + dayPath(p.day) + "#" +
        encodeURIComponent(p.id) }, p.title || p.id));
      li.appendChild(title);
      var facts = ["Featured " + shortDate(p.day)];
      var known = found[p.id];
      if (known && known.authors) facts.push(known.authors);
      if (known === false) facts.push("No longer on that day's page");
      if (p.read) facts.push("Read");
      li.appendChild(el("p", { "class": "pa-saved__meta" }, facts.join(" · ")));
      var actions = el("p", { "class": "pa-saved__actions" });
      var name = p.title || p.id;
      var mark = el("button", { type: "button", "class": "pa-saved__read",
        "aria-label": (p.read ? "Mark as unread: " : "Mark as read: ") + name },
      p.read ? "Mark as unread" : "Mark as read");
      var remove = el("button", { type: "button", "class": "pa-saved__remove",
        "aria-label": "Remove: " + name }, "Remove");
      actions.appendChild(mark);
      actions.appendChild(remove);
      li.appendChild(actions);
      mark.addEventListener("click", function () {
        update(p.id, function (q) { q.read = !q.read; });
        var again = items.children[i] && items.children[i].querySelector(".pa-saved__read");
        if (again) again.focus();
        say(p.read ? "Marked as unread." : "Marked as read.");
      });
      remove.addEventListener("click", function () {
        update(p.id, function (q) { q.removed = true; });
        var next = items.children[i] || items.children[i - 1];
        var target = next ? next.querySelector(".pa-saved__remove") : count;
        target.focus();
        say("Removed " + name + ".");
      });
      return li;
    }

    // Titles and authors as the archive has them now (a day's page each, once).
    function refresh() {
      var papers = R.list();
      var byDay = {};
      papers.forEach(function (p) { (byDay[p.day] = byDay[p.day] || []).push(p); });
      return Promise.all(Object.keys(byDay).map(function (day) {
        return dayPage(day).then(function (page) {
          byDay[day].forEach(function (p) {
            var card = cardOf(page, p.id);
            found[p.id] = card ? { id: card.id, title: textOf(card, ".pa-card__title"),
              authors: textOf(card, ".pa-card__authors") } : page ? false : undefined;
            if (card) found[card.id] = found[p.id];
          });
        });
      })).then(function () {
        var changed = false;
        var seen = {};
        var now = R.list().filter(function (p) {
          var known = found[p.id];
          // A paper saved under an old id takes its card's id, so that its Save buttons
          // show it saved and its RIS record is found; saved under both, it is kept once.
          if (known && known.id && known.id !== p.id) {
            p.id = known.id;
            changed = true;
          }
          if (known && known.title && known.title !== p.title) {
            p.title = known.title;
            changed = true;
          }
          if (seen[p.id]) {
            changed = true;
            return false;
          }
          seen[p.id] = true;
          return true;
        });
        if (changed) R.setList(now);
        render();
      });
    }

    function saved() {
      var papers = R.list();
      if (!papers.length) say("Your reading list is empty: nothing to export.", true);
      return papers.length ? papers : null;
    }

    function leftOut(missing, why) {
      return missing ? "; " + plural(missing, "paper") + " left out (" + why + ")" : "";
    }

    function exportBibtex() {
      var papers = saved();
      if (!papers) return;
      say("Gathering the BibTeX entries…");
      Promise.all(papers.map(function (p) {
        return dayPage(p.day).then(function (page) {
          var card = cardOf(page, p.id);
          var pre = card && card.querySelector("details.pa-card__bib pre");
          return pre ? pre.textContent : null;
        });
      })).then(function (entries) {
        var kept = entries.filter(function (e) { return e !== null; });
        if (!kept.length) {
          say("No BibTeX exported: none of these papers is on its day's page any more.", true);
          return;
        }
        download("reading-list.bib", kept.join("\n\n") + "\n", "application/x-bibtex");
        say("BibTeX of " + plural(kept.length, "paper") + " downloaded" +
          leftOut(entries.length - kept.length, "no longer on their day's page") + ".");
      });
    }

    function exportRis() {
      var papers = saved();
      if (!papers) return;
      say("Gathering the RIS records…");
      Promise.all(papers.map(function (p) {
        return risOf(p.day).then(function (records) {
          if (records === null) return { none: true };
          return { record: Object.prototype.hasOwnProperty.call(records, p.id) ? records[p.id] : null };
        });
      })).then(function (got) {
        var kept = got.filter(function (g) { return g.record; }).map(function (g) { return g.record; });
        var noFile = got.filter(function (g) { return g.none; }).length;
        if (!kept.length) {
          say(noFile ? "No RIS exported: this archive has no RIS file for " +
            (noFile === got.length ? "these papers' days" : "some days") + " yet; " +
            "export BibTeX instead." : "No RIS exported: none of these papers is in its day's RIS file.", true);
          return;
        }
        download("reading-list.ris", kept.join("\n\n") + "\n", "application/x-research-info-systems");
        say("RIS of " + plural(kept.length, "paper") + " downloaded" +
          leftOut(got.length - kept.length, "no RIS record for them on their day") + ".");
      });
    }

    function exportList() {
      var papers = R.list();
      var data = { format: FORMAT, version: VERSION, exported: new Date().toISOString(),
        papers: papers.map(clean) };
      download("paper-almanac-reading-list.json", JSON.stringify(data, null, 2) + "\n",
        "application/json");
      say("The list of " + plural(papers.length, "paper") + " downloaded.");
    }

    function importFile(file) {
      if (file.size > MAX_IMPORT) {
        say("Not imported: that file is too large to be a reading list.", true);
        return;
      }
      file.text().then(function (text) {
        var message = merge(text);
        say(message.text, message.error);
        render();
        if (!message.error) refresh();
      }, function () {
        say("Not imported: that file could not be read.", true);
      });
    }

    function merge(text) {
      var data;
      try {
        data = JSON.parse(text);
      } catch (error) {
        return fail("that file is not JSON; choose a list saved with “Export the list”.");
      }
      if (!data || typeof data !== "object" || data.format !== FORMAT) {
        return fail("that file is not a Paper Almanac reading list.");
      }
      if (data.version !== VERSION) {
        return fail("that list is in version " + String(data.version).slice(0, 20) +
          " of the format; this page reads version " + VERSION + ".");
      }
      if (!Array.isArray(data.papers)) return fail("that list has no papers in it.");
      var good = data.papers.map(valid).filter(Boolean);
      var bad = data.papers.length - good.length;
      if (!good.length && bad) {
        return fail("none of its " + plural(bad, "entry", "entries") +
          " is a paper (each needs an id, a day as YYYY-MM-DD and a title).");
      }
      var papers = R.list();
      var at = {};
      papers.forEach(function (p, i) { at[p.id] = i; });
      var added = 0;
      var had = 0;
      good.forEach(function (p) {
        if (Object.prototype.hasOwnProperty.call(at, p.id)) {
          var mine = papers[at[p.id]];
          mine.read = mine.read || p.read;  // a read mark is kept, from either side
          had += 1;
        } else {
          at[p.id] = papers.length;
          papers.push(p);
          added += 1;
        }
      });
      if (!R.setList(papers)) return fail("this browser refused to store the list.");
      var parts = [plural(added, "paper") + " added"];
      if (had) parts.push(had.toLocaleString("en") + " already in your list");
      if (bad) parts.push(plural(bad, "bad entry", "bad entries") + " skipped");
      return { text: "Imported: " + parts.join(", ") + ".", error: false };
    }

    function fail(why) {
      return { text: "Not imported: " + why, error: true };
    }

    window.addEventListener("storage", function (event) {
      if (event.key === R.keys.list) render();
    });
    render();
    refresh();
  }

  function clean(p) {
    return { id: p.id, day: p.day, title: p.title, savedAt: p.savedAt, read: !!p.read };
  }

  // An imported entry as it is stored, or null when it is not one.
  function valid(p) {
    if (!p || typeof p !== "object") return null;
    if (typeof p.id !== "string" || !p.id.trim() || p.id.length > 200) return null;
    if (typeof p.day !== "string" || !DAY.test(p.day)) return null;
    if (typeof p.title !== "string" || p.title.length > 2000) return null;
    if (p.read !== undefined && typeof p.read !== "boolean") return null;
    var when = typeof p.savedAt === "string" && !isNaN(Date.parse(p.savedAt))
      ? p.savedAt : new Date().toISOString();
    return { id: p.id.trim(), day: p.day, title: p.title, savedAt: when, read: p.read === true };
  }

  // --- watched and hidden (reader.js loads this file when the reader has any) --------------
  // Matching is on whole words and phrases, without case or accents: words on a card's
  // title, AI summary and abstract (a result's title and excerpt), authors on the card's
  // full author list (its BibTeX entry; for a result, the catalog's). A paper both watched
  // and hidden is watched. Nothing read from a card is ever inserted as HTML.


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

  // `more`: watched authors the catalog found beyond a result's first five.
  function applyItem(item, w, more) {
    var words = norm(itemText(item, ".pa-card__title, .pa-card__summary, .pa-card__abstract p, " +
      ".pa-result__title, .pa-result__excerpt"));
    var watchedWords = found(w.words, words);
    var watchedAuthors = w.authors.length ? found(w.authors, authorsText(item)) : [];
    (more || []).forEach(function (t) {
      if (watchedAuthors.indexOf(t) < 0) watchedAuthors.push(t);
    });
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
      return n.matches(R.items);
    });
    if (!items.length) return;
    var applied = [];
    items.forEach(function (item, i) {
      if (!item.hasAttribute("data-pa-order")) item.setAttribute("data-pa-order", String(i));
      if (fresh && fresh.indexOf(item) < 0) return;
      clear(item);
      item.paWatched = w.active && applyItem(item, w);
      item.paApplied = w;
      applied.push(item);
    });
    order(container, w);
    watchAllAuthors(container, w, applied);
  }

  function order(container, w) {
    var items = Array.prototype.filter.call(container.children, function (n) {
      return n.matches(R.items);
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

  // A search result names its first five authors; the catalog (search.js) knows them all.
  // The answer comes later: it applies only where these settings are still the ones shown.
  function watchAllAuthors(container, w, items) {
    var results = items.filter(function (item) { return item.matches(".pa-result"); });
    if (!w.authors.length || !results.length || !window.almanacSearch) return;
    var ids = results.map(function (item) {
      var link = item.querySelector(".pa-result__title a");
      return link ? decodeURIComponent(link.hash.slice(1)) : "";
    });
    byAuthors(window.almanacSearch, ids, w.authors).then(function (byId) {
      var changed = false;
      results.forEach(function (item, i) {
        var more = (byId[ids[i]] || []).map(function (j) { return w.authors[j]; });
        if (!more.length || item.paApplied !== w || !container.contains(item)) return;
        clear(item);
        item.paWatched = applyItem(item, w, more);
        changed = true;
      });
      if (changed) order(container, w);
    }, function () {});  // no catalog: the names shown are all there is to match
  }

  // Which of `authors` wrote each paper of `ids`, by the catalog's author and id keys
  // (render/catalog.py): {id: [index in authors, ...]}.
  function byAuthors(search, ids, authors) {
    return search.catalog().then(function (cat) {
      var key = function (prefix, text) {
        var words = search.words(text);
        return words.length ? search.lookup(cat, prefix + words.join(" ")) : Promise.resolve([]);
      };
      return Promise.all([
        Promise.all(authors.map(function (t) { return key("a ", t.s); })),
        Promise.all(ids.map(function (id) { return search.lookup(cat, "i " + id.toLowerCase()); })),
      ]);
    }).then(function (got) {
      var out = {};
      ids.forEach(function (id, i) {
        got[0].forEach(function (papers, j) {
          var wrote = got[1][i].some(function (n) { return papers.indexOf(n) >= 0; });
          if (wrote) (out[id] = out[id] || []).push(j);
        });
      });
      return out;
    });
  }

  function watchSettings() {
    var p = R.prefs();
    var w = { words: terms(p.words), authors: terms(p.authors), hide: terms(p.hide),
      first: p.first };
    w.active = !!(w.words.length || w.authors.length || w.hide.length);
    return w;
  }

  function applyAll() {
    var w = watchSettings();
    Array.prototype.forEach.call(document.querySelectorAll(R.lists), function (c) {
      applyList(c, w, null);
    });
  }

  function applyFresh(container, fresh) {
    applyList(container, watchSettings(), fresh);
  }

  window.almanacReaderPanel = {
    open: open, readingList: readingList, apply: applyAll, applyList: applyFresh,
  };
})();
