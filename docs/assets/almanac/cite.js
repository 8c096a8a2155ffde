/*
 * Paper Almanac: a "Copy BibTeX" button on every paper card, and on a day page
 * (p.pa-feeds[data-pa-bib]) a download of every card's entry as one .bib file.
 *
 * The entry itself is in the card (<details class="pa-card__bib"><pre>), so it can be
 * read and selected without JavaScript; this only adds the buttons. The day's file is
 * made here from those entries rather than published beside the page, where it would
 * repeat every entry of the archive a second time. The clipboard API
 * needs a secure context (https, localhost); elsewhere the older execCommand("copy") is
 * tried, and if that fails too the entry is opened and selected for the reader to copy.
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

  function download(name, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex" }));
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

  function mount() {
    document.querySelectorAll("details.pa-card__bib").forEach(addButton);
    document.querySelectorAll("p.pa-feeds[data-pa-bib]").forEach(addDayDownload);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
