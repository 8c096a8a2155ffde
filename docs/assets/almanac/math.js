/*
 * Paper Almanac: TeX math in paper titles, summaries and abstracts, rendered with KaTeX.
 *
 * KaTeX is vendored (assets/vendor/katex/, see its README.txt), so math renders offline
 * and nothing is fetched from elsewhere. It is loaded only on pages whose record text
 * holds math, and each element is rendered when it comes into view (an abstract folded
 * in <details> when it is opened).
 *
 * Only record text is looked at (titles, AI summaries, abstracts, rows of titles), one
 * text node at a time. The delimiters are \( \), \[ \], $$ $$ and $ $, with the usual
 * TeX-in-Markdown rule for a single $ (as in Pandoc): the opening $ is followed by a
 * non-space, the closing $ is the next unescaped $ of the same text, follows a non-space
 * and is not followed by a digit. So "costs $5 and $10 a month" has no math, and a stray
 * $ never swallows the rest of an abstract. Text that KaTeX cannot parse is left as it
 * was. KaTeX builds its output as DOM nodes with `trust: false` (no links, no classes or
 * styles from the text), so the text cannot inject markup.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // This file is <site>/assets/almanac/math.js; KaTeX is in <site>/assets/vendor/katex/.
  var VENDOR = new URL("../vendor/katex/", script ? script.src : location.href);
  var TARGETS = ".pa-card__title, .pa-card__summary, .pa-card__abstract p, .pa-row > a";
  var MAX_TEX = 400; // longer "math" is far more likely two stray dollars
  var OPTIONS = {
    throwOnError: true,
    trust: false,
    strict: "ignore",
    maxSize: 10,
    maxExpand: 200,
    output: "htmlAndMathml",
  };
  var loading = null;

  function isSpace(c) {
    return c === undefined || /\s/.test(c);
  }

  // The end of a delimited span starting at `from`, or -1; a backslash escapes the next
  // character, so "\$" never closes.
  function closing(text, from, close) {
    for (var j = from; j < text.length; j++) {
      if (text.startsWith(close, j)) return j;
      if (text[j] === "\\" && close !== "\\)" && close !== "\\]") j++;
    }
    return -1;
  }

  function span(text, start, open, close, display) {
    var from = start + open.length;
    var end = closing(text, from, close);
    if (end <= from || end - from > MAX_TEX) return null;
    var tex = text.slice(from, end);
    if (!tex.trim()) return null;
    if (open === "$") {
      if (isSpace(text[from]) || isSpace(text[end - 1]) || /[0-9]/.test(text[end + 1] || "")) {
        return null;
      }
    }
    return { start: start, end: end + close.length, tex: tex, display: display };
  }

  function findMath(text) {
    var found = [];
    var i = 0;
    while (i < text.length) {
      var c = text[i];
      var next = text[i + 1];
      var s = null;
      if (c === "\\" && next === "(") s = span(text, i, "\\(", "\\)", false);
      else if (c === "\\" && next === "[") s = span(text, i, "\\[", "\\]", true);
      else if (c === "$" && next === "$") s = span(text, i, "$$", "$$", true);
      else if (c === "$") s = span(text, i, "$", "$", false);
      if (s) {
        found.push(s);
        i = s.end;
      } else if (c === "\\" || (c === "$" && next === "$")) {
        i += 2;
      } else {
        i += 1;
      }
    }
    return found;
  }

  function textNodes(element) {
    var out = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest(".katex")) out.push(node);
    }
    return out;
  }

  function hasMath(element) {
    var text = element.textContent;
    if (text.indexOf("$") < 0 && text.indexOf("\\(") < 0 && text.indexOf("\\[") < 0) {
      return false;
    }
    return textNodes(element).some(function (node) {
      return findMath(node.data).length > 0;
    });
  }

  function renderNode(node, katex) {
    var text = node.data;
    var spans = findMath(text);
    if (!spans.length) return;
    var fragment = document.createDocumentFragment();
    var at = 0;
    spans.forEach(function (s) {
      var holder = document.createElement("span");
      holder.className = "pa-math";
      try {
        katex.render(s.tex, holder, Object.assign({ displayMode: s.display }, OPTIONS));
      } catch (error) {
        return; // not TeX KaTeX knows: the text stays as it is
      }
      fragment.appendChild(document.createTextNode(text.slice(at, s.start)));
      fragment.appendChild(holder);
      at = s.end;
    });
    if (at === 0) return;
    fragment.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(fragment, node);
  }

  function renderElement(element, katex) {
    textNodes(element).forEach(function (node) {
      renderNode(node, katex);
    });
    element.setAttribute("data-pa-math", "done");
  }

  function loadKatex() {
    if (!document.getElementById("pa-katex-css")) {
      var css = document.createElement("link");
      css.id = "pa-katex-css";
      css.rel = "stylesheet";
      css.href = new URL("katex.min.css", VENDOR).href;
      document.head.appendChild(css);
    }
    if (window.katex) return Promise.resolve(window.katex);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var js = document.createElement("script");
        js.src = new URL("katex.min.js", VENDOR).href;
        js.async = true;
        js.onload = function () {
          if (window.katex) resolve(window.katex);
          else reject(new Error("KaTeX did not define itself"));
        };
        js.onerror = function () {
          loading = null;
          reject(new Error("KaTeX did not load"));
        };
        document.head.appendChild(js);
      });
    }
    return loading;
  }

  function whenVisible(elements, katex) {
    if (!("IntersectionObserver" in window)) {
      elements.forEach(function (element) {
        renderElement(element, katex);
      });
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          renderElement(entry.target, katex);
        });
      },
      { rootMargin: "300px 0px" }
    );
    elements.forEach(function (element) {
      observer.observe(element);
    });
  }

  function mount() {
    var found = Array.prototype.filter.call(document.querySelectorAll(TARGETS), function (el) {
      return !el.hasAttribute("data-pa-math") && hasMath(el);
    });
    if (!found.length) return;
    loadKatex().then(
      function (katex) {
        whenVisible(found, katex);
      },
      function () {
        /* Without KaTeX the text stays as written, which is still readable. */
      }
    );
  }

  // For the tests: where the rules find math in a text.
  window.almanacFindMath = findMath;

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount); // Material's instant navigation: every new page
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
