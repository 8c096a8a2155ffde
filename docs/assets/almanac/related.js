/*
 * Paper Almanac: a card's related papers, opened inside the card.
 *
 * Each card has a link "Related papers" to its paper's section of its day's related.html
 * (generator/render/related_lists.py); without JavaScript the link leads there. Here it
 * becomes a button that shows the five links in the card, fetching the day's file once
 * (one file serves every card of that day). Its links are relative to that file, so
 * they are resolved against it before they are put in a page elsewhere.
 */
(function () {
  "use strict";

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

  function mount() {
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
