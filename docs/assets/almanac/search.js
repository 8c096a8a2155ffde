/*
 * Paper Almanac search: every search covers the whole archive.
 *
 * One result per paper, linking to the paper's anchor on its day page. What the page
 * reads is in search-index/ (render/search.py): a manifest of the filters' values and
 * counts, the catalog (render/catalog.py: titles, authors and ids; each paper's row,
 * text, topics, categories, sources, month and upvotes) and the word index (words.js,
 * loaded when words are first searched for; render/wordindex.py). A title, an id or an
 * author's name typed in full is found by the catalog and comes first; words by best
 * match are ranked by the word index, reading each word's best papers first (fillRanked);
 * a sort by date or upvotes, or filters alone, list every paper that matches, in order
 * (fillListed): the word index's every match, or the catalog's lists for the filters.
 * The full page (/search/) has filters for topic, year, month, arXiv category and source,
 * and a sort; the header button opens a compact version in a dialog. In the dialog,
 * Enter opens the first result (or the full search, when no result is shown yet) and the
 * arrow keys move between the field and the results' links.
 *
 * Topics are chosen and carried in the address by slug (`?topic=agents`). An address
 * carrying a topic's name (as older ones do) still works: the name is mapped to its slug.
 *
 * Everything taken from the index is inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // This file is <site>/assets/almanac/search.js: the site root is two folders up.
  var SITE = new URL("../../", script ? script.src : location.href);
  var PAGE_SIZE = 20;
  var WORDS_PAGE = 10;  // a search of words: each result also loads its text to quote
  var DEBOUNCE_MS = 200;
  var EXCERPT_WORDS = 24;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var SORTS = [
    ["", "Best match"],
    ["date:desc", "Newest first"],
    ["date:asc", "Oldest first"],
    ["upvotes:desc", "Most upvoted"],
  ];
  var WHY = { title: "Title match", id: "arXiv id", author: "Author match" };
  var counter = 0;
  var INDEX = new URL("search-index/", SITE);
  var engine = null;

  // The manifest: the number of papers, the word index's segments and the filters'
  // values with their counts, so the filters are offered before anything else loads.
  function loadEngine() {
    if (!engine) {
      engine = fetch(new URL("manifest.json", INDEX).href).then(function (response) {
        if (!response.ok) throw new Error("no search manifest");
        return response.json();
      }).then(function (manifest) {
        return { manifest: manifest, wordIndex: null };
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  // --- the catalog: titles, authors and ids of the whole archive (render/catalog.py) ---
  //
  // It maps each normalized title, author name and id to its papers' numbers, in small
  // buckets, and a chunk of papers holds what a result shows. A query costs its few
  // buckets and the chunks of what is shown. It comes in segments (the manifest's
  // `catalog`, oldest first), each numbering its papers from its `first`; `index` adds
  // up what the segments' own indexes say of the whole (papers, months, days).
  var catalog = null;

  function loadCatalog() {
    if (!catalog) {
      catalog = loadEngine().then(function (eng) {
        return Promise.all((eng.manifest.catalog || []).map(loadSegment));
      }).then(function (segments) {
        var index = { papers: 0, months: [], day_sizes: [], topics: [] };
        segments.forEach(function (seg) {
          index.papers += Number(seg.index.papers) || 0;
          index.months = index.months.concat(seg.index.months || []);
          index.day_sizes = index.day_sizes.concat(seg.index.day_sizes || []);
          index.topics = seg.index.topics || index.topics;
        });
        return { index: index, segments: segments };
      });
      catalog.catch(function () { catalog = null; });
    }
    return catalog;
  }

  function loadSegment(name, i) {
    var base = new URL(name + "/", INDEX);
    return fetch(new URL("index.json", base).href).then(function (response) {
      if (!response.ok) throw new Error("no catalog");
      return response.json();
    }).then(function (index) {
      var prefixes = (index.buckets || []).slice().sort(function (a, b) {
        return b.length - a.length;
      });
      var lists = {};
      (index.lists || []).forEach(function (path) { lists[path] = true; });
      return { i: i, base: base, index: index, first: Number(index.first) || 0,
        prefixes: prefixes, lists: lists, files: {} };
    });
  }

  // A file of a segment: JSON, or gzipped JSON (`.bin`: the texts).
  function segmentFile(seg, path) {
    if (!seg.files[path]) {
      var url = new URL(path + "?v=" + encodeURIComponent(seg.index.v || ""), seg.base).href;
      seg.files[path] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("catalog file missing: " + path);
        if (!/\.bin$/.test(path)) return response.json();
        return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
      });
      seg.files[path].catch(function () { delete seg.files[path]; });
    }
    return seg.files[path];
  }

  // The segment that holds paper `number`, and the paper's place in it.
  function place(cat, number) {
    var segs = cat.segments;
    var k = segs.length - 1;
    while (k > 0 && segs[k].first > number) k -= 1;
    return { seg: segs[k], at: number - segs[k].first };
  }

  function hexOf(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function undelta(deltas, first) {
    var out = [];
    var at = first || 0;
    (deltas || []).forEach(function (d) { at += d; out.push(at); });
    return out;
  }

  // The same words as catalog.words: TeX commands dropped, accents off, lower case,
  // runs of letters and digits.
  function catalogWords(text) {
    var plainText = String(text).replace(/\\[A-Za-z]+/g, " ").normalize("NFKD")
      .replace(/\p{M}/gu, "").toLowerCase();
    return plainText.match(/[\p{L}\p{N}]+/gu) || [];
  }

  // The papers (numbers) that have `key`, from each segment's bucket whose prefix is its
  // longest, oldest first.
  function lookup(cat, key) {
    return Promise.all(cat.segments.map(function (seg) {
      var prefix = null;
      for (var i = 0; i < seg.prefixes.length && prefix === null; i++) {
        if (key.lastIndexOf(seg.prefixes[i], 0) === 0) prefix = seg.prefixes[i];
      }
      if (prefix === null) return [];
      return segmentFile(seg, "keys/" + hexOf(prefix) + ".json").then(function (bucket) {
        var has = Object.prototype.hasOwnProperty.call(bucket, key);
        return has ? undelta(bucket[key], seg.first) : [];
      });
    })).then(function (found) { return [].concat.apply([], found); });
  }

  // What the reader typed, taken as a title, an id and an author's name: the papers it
  // names, each once, titles first, then ids, then the author's papers newest first.
  function catalogMatches(cat, q) {
    var words = catalogWords(q);
    if (!words.length) return Promise.resolve([]);
    var id = q.trim().toLowerCase().replace(/^arxiv:\s*/, "").replace(/v\d+$/, "");
    var asked = [["title", "t " + words.join("")], ["id", "i " + id],
      ["author", "a " + words.join(" ")]];
    return Promise.all(asked.map(function (a) { return lookup(cat, a[1]); }))
      .then(function (found) {
        var seen = {};
        var out = [];
        found.forEach(function (numbers, i) {
          numbers.slice().reverse().forEach(function (n) {
            if (seen[n]) return;
            seen[n] = true;
            out.push({ number: n, why: asked[i][0] });
          });
        });
        return out;
      });
  }

  // For reader-panel.js, which looks up the whole author lists of results (they show five).
  window.almanacSearch = { catalog: loadCatalog, lookup: lookup, words: catalogWords };

  // Matches held to the search's topic, category, source, year and month.
  function filterMatches(cat, matches, s) {
    return numberFilter(cat, s).then(function (keep) {
      return keep ? matches.filter(function (m) { return keep(m.number); }) : matches;
    });
  }

  // A catalog row as the result list shows it.
  function matchData(cat, match) {
    var p = place(cat, match.number);
    var chunk = p.seg.index.chunk || 32;
    return segmentFile(p.seg, "papers/" + Math.floor(p.at / chunk) + ".json").then(function (rows) {
      var row = rows[p.at % chunk];
      var names = (cat.index.topics || []).map(function (t) { return t[1]; });
      // The permalink, as render/urls.py's paper_url makes it: the day's page, the id.
      var url = "days/" + row[2].replace(/-/g, "/") + "/#" + row[0];
      var meta = { url: url, title: row[1], day: row[2], authors: row[4] || "" };
      if (row[3] !== null && row[3] !== undefined) meta.upvotes = String(row[3]);
      return {
        url: url, meta: meta, why: match.why,
        filters: { topic: (row[5] || []).map(function (i) { return names[i]; }) },
      };
    });
  }

  // --- the word index: best match over the whole archive (render/wordindex.py) ---
  //
  // words.js reads it; it is loaded the first time words are searched for, as the
  // catalog is, so other pages never download it.
  var wordsScript = null;

  function loadWords(eng) {
    var names = eng.manifest.words || [];
    if (!names.length) return Promise.resolve(null);
    if (!eng.wordIndex) {
      if (!wordsScript) {
        wordsScript = new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          tag.src = new URL("words.js", script ? script.src : location.href).href;
          tag.onload = resolve;
          tag.onerror = reject;
          document.head.appendChild(tag);
        });
        wordsScript.catch(function () { wordsScript = null; });
      }
      eng.wordIndex = wordsScript.then(function () {
        return new window.AlmanacWords.Index(names.map(function (name) {
          return window.AlmanacWords.fetcher(new URL(name + "/", INDEX).href);
        }));
      });
      eng.wordIndex.catch(function () { eng.wordIndex = null; });
    }
    return eng.wordIndex;
  }

  // Which papers (by number) a search's filters keep, or null when it has none: the
  // month and year from the numbers, the topic, category and source from the catalog.
  function numberFilter(cat, s) {
    var lists = [];
    if (s.topic) lists.push("topics/" + s.topic);
    if (s.category) lists.push("categories/" + s.category);
    if (s.source) lists.push("sources/" + s.source);
    if (!lists.length && !s.month && !s.year) return Promise.resolve(null);
    return Promise.all(lists.map(function (path) {
      return Promise.all(cat.segments.map(function (seg) {
        // A segment without papers of the value has no list of it.
        if (!seg.lists[path]) return [];
        return segmentFile(seg, path + ".json").then(function (deltas) {
          return undelta(deltas, seg.first);
        }, function () { return []; });
      })).then(function (found) {
        var inList = {};
        found.forEach(function (numbers) {
          numbers.forEach(function (n) { inList[n] = true; });
        });
        return inList;
      });
    })).then(function (sets) {
      var range = monthRange(cat, s);
      return function (number) {
        return number >= range[0] && number < range[1] &&
          sets.every(function (inList) { return inList[number]; });
      };
    });
  }

  // The stretch of `text` around the most words found, as [piece, found?] parts: at most
  // EXCERPT_WORDS words, a found word marked (every piece becomes a text node).
  function excerptParts(text, terms) {
    var wanted = {};
    terms.forEach(function (t) { wanted[t] = true; });
    var spans = [];
    var re = /[\p{L}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text)) !== null) {
      var cut = window.AlmanacWords.terms(m[0], []);
      var hit = cut.length === 1 && !!wanted[cut[0]];
      spans.push({ at: m.index, end: m.index + m[0].length, term: hit ? cut[0] : null });
    }
    if (!spans.length) return [];
    var best = 0;
    var bestHits = -1;
    for (var i = 0; i < spans.length; i++) {
      if (i && !spans[i].term) continue;  // a stretch starts at the text or at a word found
      var hits = {};
      for (var j = i; j < Math.min(spans.length, i + EXCERPT_WORDS); j++) {
        if (spans[j].term) hits[spans[j].term] = true;
      }
      var count = Object.keys(hits).length;
      if (count > bestHits) {
        bestHits = count;
        best = Math.max(0, i - 3);  // a few words before the first found, for context
      }
    }
    var last = Math.min(spans.length, best + EXCERPT_WORDS) - 1;
    var parts = [];
    var from = spans[best].at;
    if (best > 0) parts.push(["… ", false]);
    for (var k = best; k <= last; k++) {
      if (!spans[k].term) continue;
      if (spans[k].at > from) parts.push([text.slice(from, spans[k].at), false]);
      parts.push([text.slice(spans[k].at, spans[k].end), true]);
      from = spans[k].end;
    }
    parts.push([text.slice(from, spans[last].end), false]);
    if (last < spans.length - 1) parts.push([" …", false]);
    return parts;
  }

  // A paper the word index found, shaped like a catalog match with its excerpt.
  function wordData(cat, number, terms) {
    var p = place(cat, number);
    var chunk = p.seg.index.text_chunk || 16;
    var texts = segmentFile(p.seg, "texts/" + Math.floor(p.at / chunk) + ".bin");
    return Promise.all([matchData(cat, { number: number, why: null }), texts])
      .then(function (found) {
        var data = found[0];
        data.excerptParts = excerptParts(String(found[1][p.at % chunk] || ""), terms);
        return data;
      });
  }

  // The slug of a topic given by slug or by name, or "" when it is neither.
  function topicSlug(manifest, value) {
    var topics = (manifest && manifest.topics) || null;
    if (!topics) return value;
    if (Object.prototype.hasOwnProperty.call(topics, value)) return value;
    var found = "";
    Object.keys(topics).forEach(function (slug) {
      if (!found && topics[slug] === value) found = slug;
    });
    return found;
  }

  // The numbers of the papers of the search's month or year ([first, end)), or of all
  // (papers are numbered in date order, so a month's are a run of numbers).
  function monthRange(cat, s) {
    var months = cat.index.months || [];
    var papers = Number(cat.index.papers) || 0;
    if (!s.month && !s.year) return [0, papers];
    if (s.month && s.year && s.month.slice(0, 4) !== s.year) return [0, 0];
    var lo = papers;
    var hi = papers;
    for (var i = 0; i < months.length; i++) {
      var inside = s.month ? months[i][0] === s.month : months[i][0].slice(0, 4) === s.year;
      if (inside && lo === papers) lo = months[i][1];
      if (!inside && lo !== papers) {
        hi = months[i][1];
        break;
      }
    }
    return [lo, lo === papers ? papers : hi];
  }

  // Every paper the filters keep (no words): by number, oldest first.
  function filtered(cat, s, keep) {
    var range = monthRange(cat, s);
    var out = [];
    for (var n = range[0]; n < range[1]; n++) {
      if (!keep || keep(n)) out.push(n);
    }
    return out;
  }

  // Each day's first number, from the catalog's count of papers a day: a sort by date
  // keeps each day's own order (featured first, then by upvotes), newest day first or last.
  function dayStarts(cat) {
    if (!cat.dayStarts) {
      var at = 0;
      cat.dayStarts = (cat.index.day_sizes || []).map(function (size) {
        var start = at;
        at += size;
        return start;
      });
    }
    return cat.dayStarts;
  }

  function newestFirst(cat, numbers) {
    var starts = dayStarts(cat);
    var day = starts.length - 1;
    var byDay = [];
    numbers.slice().sort(function (a, b) { return b - a; }).forEach(function (n) {
      while (day > 0 && starts[day] > n) day -= 1;
      if (!byDay.length || byDay[byDay.length - 1].day !== day) byDay.push({ day: day, list: [] });
      byDay[byDay.length - 1].list.push(n);
    });
    var out = [];
    byDay.forEach(function (group) {
      for (var i = group.list.length - 1; i >= 0; i--) out.push(group.list[i]);
    });
    return out;
  }

  // Most upvoted first (ties: the newer first), from the catalog's upvote chunks that
  // hold the numbers.
  function mostUpvoted(cat, numbers) {
    var wanted = {};
    var where = numbers.map(function (n) {
      var p = place(cat, n);
      var size = p.seg.index.upvote_chunk || 4096;
      var id = p.seg.i + " " + Math.floor(p.at / size);
      wanted[id] = [p.seg, "upvotes/" + Math.floor(p.at / size) + ".json"];
      return [id, p.at % size];
    });
    var ids = Object.keys(wanted);
    return Promise.all(ids.map(function (id) {
      return segmentFile(wanted[id][0], wanted[id][1]);
    })).then(function (loaded) {
      var chunks = {};
      ids.forEach(function (id, i) { chunks[id] = loaded[i]; });
      var votes = {};
      numbers.forEach(function (n, i) {
        votes[n] = Number(chunks[where[i][0]][where[i][1]]) || 0;
      });
      return numbers.slice().sort(function (a, b) { return votes[b] - votes[a] || b - a; });
    });
  }

  function inOrder(cat, numbers, sort) {
    if (sort === "upvotes:desc") return mostUpvoted(cat, numbers);
    if (sort === "date:asc") return Promise.resolve(numbers.slice().sort(function (a, b) { return a - b; }));
    return Promise.resolve(newestFirst(cat, numbers));
  }

  /*
   * One search: its words, filters and order, and the results found so far in the
   * order they are shown. `fill(n)` finds results until n are known or none are left:
   * - best match of words (ranked): what the catalog names (the title, id or author
   *   typed) first, then the word index's best papers over the whole archive, as many as
   *   asked for;
   * - a sort, or filters alone (listed): every paper that matches in the whole archive
   *   (the word index's every match, or the catalog's for the filters), in order; only
   *   the results shown load their rows.
   */
  function Session(eng, s) {
    this.eng = eng;
    this.state = s;
    this.sort = s.sort || (s.q ? "" : "date:desc");
    this.words = !!s.q;  // excerpts only show words the reader typed
    this.ranked = !this.sort;
    this.items = [];
    this.pinned = null;
    this.pinnedWhy = {};
    this.held = false;
    this.found = null;  // the word index's last answer (best match)
    this.listing = null;  // every match, in order (a sort or filters alone)
  }

  Session.prototype.pin = function () {
    var self = this;
    if (self.pinned) return self.pinned;
    if (!self.ranked || !self.words) {
      self.pinned = Promise.resolve([]);
      return self.pinned;
    }
    self.pinned = loadCatalog().then(function (cat) {
      return catalogMatches(cat, self.state.q).then(function (matches) {
        return filterMatches(cat, matches, self.state);
      }).then(function (matches) {
        return matches.map(function (m) {
          return { why: m.why, number: m.number, load: function () { return matchData(cat, m); } };
        });
      });
    });
    return self.pinned;
  };

  Session.prototype.pinnedCount = function () {
    var why = this.pinnedWhy;
    return Object.keys(why).reduce(function (sum, k) { return sum + why[k]; }, 0);
  };

  // Every paper that matches is known, and listed: the count is final.
  Session.prototype.complete = function () {
    if (this.listing) return this.items.length >= this.listing.length;
    var found = this.found;
    return !this.held && !!found && found.complete && found.numbers.length >= found.total &&
      this.items.length >= this.pinnedShown + found.numbers.filter(function (number) {
        return !this.pinnedNumbers[number];
      }, this).length;
  };

  Session.prototype.count = function () {
    if (this.listing) return this.listing.length;
    if (!this.found) return 0;
    return this.found.total !== null ? this.found.total : this.found.atLeast;
  };

  Session.prototype.fill = function (n) {
    return this.ranked ? this.fillRanked(n) : this.fillListed(n);
  };

  // Best match: what the catalog names first (held: the papers that merely mention the
  // words are searched only when the reader asks, which spares a long title's many word
  // chunks), then the papers with every word, best first over the whole archive.
  Session.prototype.fillRanked = function (n) {
    var self = this;
    var first = self.pinnedShown === undefined;
    return self.pin().then(function (items) {
      if (first) {
        self.pinnedShown = items.length;
        self.pinnedNumbers = {};
        items.forEach(function (item) {
          self.pinnedNumbers[item.number] = true;
          self.pinnedWhy[item.why] = (self.pinnedWhy[item.why] || 0) + 1;
        });
        self.items = items.slice();
        self.held = items.length > 0;
        if (self.held) return null;
      } else if (self.held) {
        self.held = false;  // the reader asked for the papers that mention the words
      }
      return self.rankWords(n);
    });
  };

  Session.prototype.rankWords = function (n) {
    var self = this;
    if (self.items.length >= n || self.complete()) return Promise.resolve();
    return loadCatalog().then(function (cat) {
      var listed = {};
      self.items.forEach(function (item) { listed[item.number] = true; });
      return Promise.all([loadWords(self.eng), numberFilter(cat, self.state)]).then(function (got) {
        // Room for the pinned papers, which the words may find again.
        if (!got[0]) return { numbers: [], terms: [], complete: true, total: 0, atLeast: 0 };
        return got[0].search(self.state.q, n + self.pinnedShown, got[1]);
      }).then(function (found) {
        self.found = found;
        found.numbers.forEach(function (number) {
          if (listed[number] || self.items.length >= n) return;
          listed[number] = true;
          self.items.push({
            number: number, load: function () { return wordData(cat, number, found.terms); },
          });
        });
      });
    });
  };

  // A sort, or filters alone: every match is known at once (the word index read to the
  // end of each word's list, or the catalog's lists), then shown page by page.
  Session.prototype.fillListed = function (n) {
    var self = this;
    var s = self.state;
    if (!self.started) {
      self.started = loadCatalog().then(function (cat) {
        self.cat = cat;
        return numberFilter(cat, s).then(function (keep) {
          if (!s.q) return { numbers: filtered(cat, s, keep), terms: [] };
          return loadWords(self.eng).then(function (index) {
            return index ? index.search(s.q, Infinity, keep) : { numbers: [], terms: [] };
          });
        }).then(function (found) {
          self.terms = found.terms;
          return inOrder(cat, found.numbers, self.sort);
        }).then(function (numbers) {
          self.listing = numbers;
        });
      });
      self.started.catch(function () { self.started = null; });
    }
    return self.started.then(function () {
      var cat = self.cat;
      while (self.items.length < n && self.items.length < self.listing.length) {
        var number = self.listing[self.items.length];
        self.items.push({ number: number, load: loader(cat, number, self.words && self.terms) });
      }
    });
  };

  function loader(cat, number, terms) {
    return function () {
      return terms ? wordData(cat, number, terms) : matchData(cat, { number: number, why: null });
    };
  }

  // What the catalog found, in the whole archive: "The paper with this title", "4 papers
  // by this author in the whole archive", ...
  Session.prototype.describePinned = function () {
    var why = this.pinnedWhy;
    var n = this.pinnedCount();
    var kinds = Object.keys(why);
    if (kinds.length === 1 && kinds[0] !== "author") {
      var what = kinds[0] === "title" ? "this title" : "this id";
      return n === 1 ? "The paper with " + what : plural(n, "paper") + " with " + what;
    }
    var by = kinds.length === 1 ? "by this author" : "with this title, id or author";
    return plural(n, "paper") + " " + by + " in the whole archive";
  };

  Session.prototype.describe = function () {
    var lead = this.pinnedCount() ? this.describePinned() + "; " : "";
    if (this.held) return lead + "papers that mention these words are searched as you show more";
    if (this.ranked) return lead + this.describeRanked();
    var n = this.count();
    return n ? plural(n, "paper") + " found" : "No papers match.";
  };

  // The word index's answer: a count when every paper with the words is known, else
  // the best of them, from the whole archive (a common word's papers are many).
  Session.prototype.describeRanked = function () {
    var pinned = this.pinnedCount();
    var found = this.found;
    var n = this.count();
    var counted = found && found.total !== null;
    var how = counted ? plural(n, "paper") : "at least " + plural(n, "paper");
    if (!counted) how = pinned ? how : how.charAt(0).toUpperCase() + how.slice(1);
    var best = counted ? "" : ", the best first, in the whole archive";
    if (pinned) return how + " mention" + (n === 1 ? "s" : "") + " these words" + best;
    return n ? how + " found" + best : "No papers match.";
  };

  Session.prototype.moreLabel = function (shown) {
    if (this.held && shown >= this.items.length) return "Show papers that mention these words";
    return "Show more results";
  };

  // Material's button style sets `display`, which beats the `hidden` attribute alone.
  function hide(node, hidden) {
    node.hidden = hidden;
    node.style.display = hidden ? "none" : "";
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

  function resultItem(data, excerpts) {
    var meta = data.meta || {};
    var item = el("li", { "class": "pa-result" });
    var href = new URL(meta.url || data.url, SITE).href;
    var heading = el("h2", { "class": "pa-result__title" });
    heading.appendChild(el("a", { href: href }, meta.title || meta.url || data.url));
    item.appendChild(heading);
    var facts = [];
    if (data.why) facts.push(WHY[data.why] || "");
    if (meta.day) facts.push("Featured " + shortDate(meta.day));
    if (meta.upvotes) facts.push(plural(Number(meta.upvotes) || 0, "upvote"));
    if (meta.authors) facts.push(meta.authors);
    item.appendChild(el("p", { "class": "pa-result__meta" }, facts.join(" · ")));
    // One item per topic: a topic's name may hold a comma ("Retrieval, memory & ...").
    var topics = (data.filters && data.filters.topic) || [];
    if (topics.length) {
      var names = el("ul", { "class": "pa-result__topics", "aria-label": "Topics" });
      topics.forEach(function (name) { names.appendChild(el("li", {}, name)); });
      item.appendChild(names);
    }
    if (excerpts && data.excerptParts && data.excerptParts.length) {
      var quoted = el("p", { "class": "pa-result__excerpt" });
      data.excerptParts.forEach(function (part) {
        quoted.appendChild(part[1] ? el("mark", {}, part[0]) : document.createTextNode(part[0]));
      });
      item.appendChild(quoted);
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

  function counted(n) {
    return (Number(n) || 0).toLocaleString("en");
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
      fields.category = select("category", "arXiv category", [["", "All categories"]]);
      fields.source = select("source", "Source", [["", "All sources"]]);
      fields.sort = select("sort", "Sort", SORTS);
      // Offered once the archive has papers to filter so (see loadFilters).
      hide(fields.category.wrap, true);
      hide(fields.source.wrap, true);
      ["topic", "category", "source", "year", "month", "sort"].forEach(function (k) {
        row.appendChild(fields[k].wrap);
      });
      form.appendChild(row);
    }
    var status = el("p", { "class": "pa-search__status", role: "status", "aria-live": "polite" });
    var list = el("ol", { "class": "pa-search__results" });
    var more = el("button", { type: "button", "class": "pa-search__more md-button" },
      "Show more results");
    hide(more, true);
    [form, status, list, more].forEach(function (n) { root.appendChild(n); });

    var allFilters = null;
    var manifest = null;
    var shown = 0;
    var current = null;
    var token = 0;
    var listed = 0;  // the search whose results the list shows

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

    function loadFilters(eng) {
      if (!full || allFilters) return;
      manifest = eng.manifest || {};
      allFilters = manifest.filters || {};
      var counts = allFilters.topic || {};
      var names = manifest.topics || {};
      var topics = Object.keys(names).sort(function (a, b) {
        return names[a].localeCompare(names[b], "en");
      });
      fillOptions(fields.topic.box, "All topics", topics.map(function (slug) {
        return [slug, names[slug] + " (" + counted(counts[slug]) + ")"];
      }));
      var years = Object.keys(allFilters.year || {}).sort().reverse();
      fillOptions(fields.year.box, "All years", years.map(function (y) { return [y, y]; }));
      var categories = allFilters.category || {};
      fillOptions(fields.category.box, "All categories", Object.keys(categories).sort()
        .map(function (c) { return [c, c + " (" + counted(categories[c]) + ")"]; }));
      hide(fields.category.wrap, !Object.keys(categories).length);
      var sources = manifest.sources || {};
      var bySource = allFilters.source || {};
      fillOptions(fields.source.box, "All sources", Object.keys(sources).map(function (k) {
        return [k, sources[k] + " (" + counted(bySource[k]) + ")"];
      }));
      hide(fields.source.wrap, Object.keys(sources).length < 2);
      applyParams();
      refreshMonths();
    }

    function prepare() {
      loadCatalog().catch(function () {});  // fetched beside the engine, used by best match
      return loadEngine().then(function (eng) {
        loadFilters(eng);
        return eng;
      });
    }

    function applyParams() {
      if (!full) return;
      var params = new URLSearchParams(location.search);
      ["topic", "category", "source", "year", "sort"].forEach(function (k) {
        if (!params.has(k)) return;
        var value = params.get(k);
        fields[k].box.value = k === "topic" ? topicSlug(manifest, value) : value;
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
      var session = current;
      more.disabled = true;  // one step at a time: each step extends the last
      var step = session.words ? WORDS_PAGE : PAGE_SIZE;
      return session.fill(shown + step).then(function () {
        more.disabled = false;
        if (mine !== token) return null;
        var slice = session.items.slice(shown, shown + step);
        shown += slice.length;
        return Promise.all(slice.map(function (item) { return item.load(); })).then(function (items) {
          if (mine !== token) return;
          // The count and the button change with the results they describe.
          items.forEach(function (data) { list.appendChild(resultItem(data, session.words)); });
          // For reader.js: save buttons and the reader's watched and hidden words.
          list.dispatchEvent(new CustomEvent("almanac:results", { bubbles: true }));
          listed = mine;
          status.textContent = session.describe();
          more.textContent = session.moreLabel(shown);
          hide(more, shown >= session.items.length && session.complete());
        });
      }).catch(unavailable(mine));
    }

    function unavailable(mine) {
      return function () {
        more.disabled = false;
        if (mine !== token) return;
        status.textContent = "Search is unavailable: the search index could not be loaded.";
      };
    }

    function run() {
      var s = state();
      syncUrl(s);
      var mine = ++token;
      if (!s.q && !s.topic && !s.category && !s.source && !s.year && !s.month) {
        list.textContent = "";
        hide(more, true);
        status.textContent = full ? "Type a word, or choose a topic or a year." : "";
        return Promise.resolve();
      }
      status.textContent = "Searching…";
      // Typing runs a search per key: wait until the typing pauses.
      return new Promise(function (resolve) { setTimeout(resolve, DEBOUNCE_MS); })
        .then(function () { return mine === token ? prepare() : null; })
        .then(function (eng) {
          if (eng === null || mine !== token) return null;
          if (!Number(eng.manifest.papers)) {
            list.textContent = "";
            hide(more, true);
            status.textContent = "No papers yet.";
            return null;
          }
          current = new Session(eng, s);
          shown = 0;
          list.textContent = "";
          return showMore();
        }).catch(unavailable(mine));
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { prepare().catch(function () {}); },
      { once: true });
    Object.keys(fields).forEach(function (k) {
      fields[k].box.addEventListener("change", function () {
        if (k === "year") refreshMonths();
        run();
      });
    });
    more.addEventListener("click", function () { if (current && !more.disabled) showMore(); });

    if (full) {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      var filtered = ["topic", "category", "source", "year"].some(function (k) {
        return params.has(k);
      });
      if (input.value || filtered) {
        prepare().then(run).catch(function () { run(); });
      } else {
        run();
        // The filters' choices, so a reader can start from a topic or a year: the
        // manifest only (a few KB), the rest when a search starts.
        loadEngine().then(loadFilters).catch(function () {});
      }
    }
    root.searchApi = {
      input: input,
      run: run,
      // The results' links, when the list shows the results of the field as it is now
      // (not those of words typed before it changed); else none.
      links: function () {
        if (listed !== token) return [];
        return Array.prototype.slice.call(list.querySelectorAll(".pa-result__title a"));
      },
    };
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
      var hint = el("p", { id: "pa-dialog-keys", hidden: "" },
        "Enter opens the first result; the down and up arrows move through the results.");
      body.appendChild(hint);
      api.input.setAttribute("aria-describedby", hint.id);
      api.input.addEventListener("input", function () {
        var q = api.input.value.trim();
        full.href = new URL("search/" + (q ? "?q=" + encodeURIComponent(q) : ""), SITE).href;
      });
      dialog.addEventListener("keydown", function (event) {
        // A search field eats the first Escape (it clears itself): close on any Escape.
        if (event.key === "Escape") { event.preventDefault(); dialog.close(); return; }
        if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        if (event.isComposing) return;
        var links = api.links();
        var at = links.indexOf(event.target);
        if (event.target === api.input) {
          if (event.key === "Enter") {
            event.preventDefault();
            // The link's own click: the dialog closes as on a click by the mouse.
            if (links.length) links[0].click();
            else location.assign(full.href);
          } else if (event.key === "ArrowDown" && links.length) {
            event.preventDefault();
            links[0].focus();
          }
        } else if (at >= 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
          event.preventDefault();  // move the focus, not the dialog's scroll
          if (event.key === "ArrowDown") {
            if (at + 1 < links.length) links[at + 1].focus();
          } else if (at > 0) {
            links[at - 1].focus();
          } else {
            api.input.focus();
          }
        }
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
