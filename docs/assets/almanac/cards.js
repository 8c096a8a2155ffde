/*
 * Paper Almanac: what the cards' own data becomes with JavaScript. One file, as every
 * page with cards needs both parts (one request, one gzip dictionary):
 *
 * - BibTeX: a "Copy BibTeX" button on every card, and on a day page (p.pa-feeds
 *   [data-pa-bib]) a download of every card's entry as one .bib file. The entry itself is
 *   in the card (<details class="pa-card__bib"><pre>), readable without JavaScript; the
 *   day's file is made here rather than published, where it would repeat every entry of
 *   the archive. The clipboard API needs a secure context; elsewhere execCommand("copy")
 *   is tried, and failing that the entry is selected for the reader to copy.
 * - Related papers: a card's link to its section of its day's related.html
 *   (render/related_lists.py) becomes a button that opens the links in the card,
 *   fetching the day's file once; they are resolved against that file, whose links are
 *   relative to it. Without JavaScript the link leads to the file.
 */
(function () {
  "use strict";

  var FEEDBACK_MS = 2000;
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

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (error) {
        done = false;
      }
      area.remove();
      if (done) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function selectEntry(details) {
    details.open = true;
    var range = document.createRange();
    range.selectNodeContents(details.querySelector("pre"));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function addButton(details) {
    if (details.parentElement.classList.contains("pa-cite")) return;
    var wrap = document.createElement("div");
    wrap.className = "pa-cite";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pa-cite__copy";
    button.textContent = "Copy BibTeX";
    details.parentNode.insertBefore(wrap, details);
    wrap.appendChild(details);
    wrap.appendChild(button);
    button.addEventListener("click", function () {
      var entry = details.querySelector("pre").textContent;
      copyText(entry).then(
        function () {
          button.textContent = "Copied";
          announce("BibTeX entry copied");
          setTimeout(function () {
            button.textContent = "Copy BibTeX";
          }, FEEDBACK_MS);
        },
        function () {
          selectEntry(details);
          announce("Could not copy: the entry is selected, press Control+C to copy it");
        }
      );
    });
  }

  function dayFile() {
    var entries = [];
    document.querySelectorAll(".pa-cards details.pa-card__bib pre").forEach(function (pre) {
      entries.push(pre.textContent);
    });
    return entries.join("\n\n") + "\n";
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type || "application/x-bibtex" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 0);
  }

  function addDayDownload(feeds) {
    if (feeds.querySelector(".pa-cite__all")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pa-cite__all";
    button.textContent = "BibTeX of every paper";
    button.addEventListener("click", function () {
      download(feeds.getAttribute("data-pa-bib"), dayFile());
      announce("BibTeX of every paper on this page downloaded");
    });
    var first = feeds.querySelector("a");
    feeds.insertBefore(button, first);
    feeds.insertBefore(document.createTextNode(" · "), first);
  }

  var files = {};
  var serial = 0;

  function load(url) {
    if (!files[url]) {
      files[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text().then(function (text) {
          return new DOMParser().parseFromString(text, "text/html");
        });
      });
      files[url].catch(function () {
        delete files[url]; // a later click tries again
      });
    }
    return files[url];
  }

  function fill(list, doc, url, id) {
    var section = doc.getElementById(id);
    var found = section && section.querySelector("ol");
    list.textContent = "";
    if (!found) {
      var none = document.createElement("li");
      none.textContent = "No related papers found.";
      list.appendChild(none);
      return;
    }
    found.querySelectorAll("a[href]").forEach(function (source) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(source.getAttribute("href"), url).href;
      link.textContent = source.textContent;
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function enhance(holder) {
    var link = holder.querySelector("a[href]");
    if (!link || holder.querySelector("button")) return;
    var url = new URL(link.getAttribute("href"), document.baseURI);
    var id = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    var button = document.createElement("button");
    var list = document.createElement("ol");
    serial += 1;
    list.id = "pa-related-" + serial;
    list.className = "pa-related";
    list.hidden = true;
    button.type = "button";
    button.className = "pa-card__related-toggle";
    button.textContent = link.textContent;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", list.id);
    holder.replaceChild(button, link);
    holder.parentNode.insertBefore(list, holder.nextSibling);
    var loaded = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      list.hidden = !open;
      if (!open || loaded) return;
      list.setAttribute("aria-busy", "true");
      list.innerHTML = "<li>Loading…</li>";
      load(url.href).then(
        function (doc) {
          loaded = true;
          fill(list, doc, url.href, id);
          list.removeAttribute("aria-busy");
        },
        function () {
          list.removeAttribute("aria-busy");
          list.textContent = "";
          var item = document.createElement("li");
          var fallback = document.createElement("a");
          fallback.href = link.href;
          fallback.textContent = "Could not load them here: open the list of related papers";
          item.appendChild(fallback);
          list.appendChild(item);
        }
      );
    });
  }

  // The other scripts (reader.js, reader-panel.js) announce and download through these.
  window.almanacCards = { announce: announce, download: download };

  function mount() {
    document.querySelectorAll("details.pa-card__bib").forEach(addButton);
    document.querySelectorAll("p.pa-feeds[data-pa-bib]").forEach(addDayDownload);
    document.querySelectorAll("p.pa-card__related").forEach(enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
