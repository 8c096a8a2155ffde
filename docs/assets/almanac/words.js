/*
 * Paper Almanac's word index, read in the browser (generator/site/render/wordindex.py
 * writes it; its docstring describes the files).
 *
 * Every word's papers are stored best first, in chunks, so a search reads only the first
 * chunks of its words until its k best papers are certain: the k-th best paper that has
 * every word scores more than any other paper still could (its impacts known so far plus
 * the best impact left in each list it has not been seen in). Each round of reading
 * fetches the next chunk of every word still open, at once. A paper must have every word
 * of the query, as in Pagefind; ties go to the smaller number (the older paper).
 *
 * The index is in segments (the newest papers, and the others), searched as one: a
 * word's chunks from all of them, taken best first. The engine is given, for each
 * segment, a `get(path)` that resolves to a file's bytes, inflated: in the browser,
 * `AlmanacWords.fetcher(base)` (fetch and DecompressionStream). Nothing here touches
 * the page.
 */
(function (root) {
  "use strict";

  // The catalog's words (render/catalog.py `words`, search.js `catalogWords`): TeX
  // commands dropped, accents off, lower case, runs of letters and digits.
  function words(text) {
    var plainText = String(text).replace(/\\[A-Za-z]+/g, " ").normalize("NFKD")
      .replace(/\p{M}/gu, "").toLowerCase();
    return plainText.match(/[\p{L}\p{N}]+/gu) || [];
  }

  function endsWith(word, ends) {
    return ends.some(function (end) { return word.slice(-end.length) === end; });
  }

  // Plurals folded, as wordindex.stem folds them (Harman's S stemmer).
  function stem(word) {
    if (word.length > 3 && endsWith(word, ["ies"]) && !endsWith(word, ["eies", "aies"])) {
      return word.slice(0, -3) + "y";
    }
    if (word.length > 3 && endsWith(word, ["es"]) && !endsWith(word, ["aes", "ees", "oes"])) {
      return word.slice(0, -1);
    }
    if (word.length > 2 && endsWith(word, ["s"]) && !endsWith(word, ["us", "ss"])) {
      return word.slice(0, -1);
    }
    return word;
  }

  // The index's words of `text`, each once, in order: the stopwords are meta.json's.
  function terms(text, stopwords) {
    var skip = {};
    (stopwords || []).forEach(function (w) { skip[w] = true; });
    var seen = {};
    var out = [];
    words(text).forEach(function (word) {
      if (skip[word]) return;
      var term = stem(word);
      if (!seen[term]) {
        seen[term] = true;
        out.push(term);
      }
    });
    return out;
  }

  // 32-bit FNV-1a of the UTF-8 bytes, as wordindex.fnv1a.
  function fnv1a(text) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(text).forEach(function (byte) {
      h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    });
    return h;
  }

  function varint(data, at) {
    var n = 0;
    var scale = 1;
    for (;;) {
      var byte = data[at++];
      n += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return [n, at];
      scale *= 128;
    }
  }

  // A chunk's papers (by number) and their impacts.
  function readChunk(data, at) {
    var read = varint(data, at);
    var count = read[0];
    at = read[1];
    var numbers = [];
    var last = 0;
    for (var i = 0; i < count; i++) {
      read = varint(data, at);
      last += read[0];
      at = read[1];
      numbers.push(last);
    }
    return { numbers: numbers, impacts: Array.prototype.slice.call(data, at, at + count) };
  }

  // The chunks of `term` in a dictionary bucket: the first one read, the others located.
  function findTerm(bucket, term) {
    var want = new TextEncoder().encode(term);
    var at = 0;
    while (at < bucket.length) {
      var read = varint(bucket, at);
      var key = bucket.subarray(read[1], read[1] + read[0]);
      at = read[1] + read[0];
      read = varint(bucket, at);
      var total = read[0];  // the term's papers, in all its chunks
      read = varint(bucket, read[1]);
      var count = read[0];
      at = read[1];
      var chunks = [];
      chunks.total = total;
      for (var k = 0; k < count; k++) {
        read = varint(bucket, at);
        var chunk = { size: read[0], best: bucket[read[1]], postings: null };
        at = read[1] + 1;
        if (k === 0) {
          chunk.postings = readChunk(bucket, at);
          at = skipChunk(bucket, at);
        } else {
          read = varint(bucket, at);
          chunk.pack = read[0];
          read = varint(bucket, read[1]);
          chunk.offset = read[0];
          at = varint(bucket, read[1])[1];
        }
        chunks.push(chunk);
      }
      if (sameBytes(key, want)) return chunks;
    }
    return null;
  }

  function skipChunk(data, at) {
    var read = varint(data, at);
    var count = read[0];
    at = read[1];
    for (var i = 0; i < count; i++) at = varint(data, at)[1];
    return at + count;
  }

  function sameBytes(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // The index's segments (oldest first), each read through its own `get`.
  function Index(gets) {
    this.segments = gets.map(function (get) { return { get: get, meta: null, files: {} }; });
    this.stopwords = null;
  }

  Index.prototype.file = function (segment, path) {
    var files = segment.files;
    if (!files[path]) {
      files[path] = segment.get(path);
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  };

  Index.prototype.open = function () {
    var self = this;
    if (self.stopwords) return Promise.resolve(self);
    return Promise.all(self.segments.map(function (segment) {
      return self.file(segment, "meta.json").then(function (bytes) {
        segment.meta = JSON.parse(new TextDecoder().decode(bytes));
      });
    })).then(function () {
      self.stopwords = self.segments.length ? self.segments[0].meta.stopwords : [];
      return self;
    });
  };

  // The chunks of each term in every segment, best first (null for a term no paper has).
  Index.prototype.lists = function (wanted) {
    var self = this;
    return Promise.all(wanted.map(function (term) {
      return Promise.all(self.segments.map(function (segment) {
        var bucket = "d/" + (fnv1a(term) % segment.meta.buckets) + ".bin";
        return self.file(segment, bucket).then(function (data) {
          var chunks = findTerm(data, term) || [];
          chunks.forEach(function (chunk) { chunk.segment = segment; });
          return chunks;
        });
      })).then(function (found) {
        var chunks = [].concat.apply([], found);
        // Each segment's chunks are best first already: a stable sort keeps them so.
        chunks.sort(function (a, b) { return b.best - a.best; });
        chunks.total = found.reduce(function (sum, c) { return sum + (c.total || 0); }, 0);
        return chunks.length ? chunks : null;
      });
    }));
  };

  Index.prototype.load = function (chunk) {
    if (chunk.postings) return Promise.resolve(chunk.postings);
    return this.file(chunk.segment, "c/" + chunk.pack + ".bin").then(function (data) {
      chunk.postings = readChunk(data, chunk.offset);
      return chunk.postings;
    });
  };

  // The `k` best papers that have every word of `query` and that `allowed(number)`
  // keeps (every paper when it is not given): { numbers, scores, rounds, terms, complete,
  // total, atLeast }. `complete`: no other paper has every word; `total`: how many do,
  // when that is known (else null), and `atLeast` how many were seen.
  Index.prototype.search = function (query, k, allowed) {
    var self = this;
    return self.open().then(function () {
      var wanted = terms(query, self.stopwords);
      var none = {
        numbers: [], scores: [], rounds: 0, terms: wanted, complete: true, total: 0, atLeast: 0,
      };
      if (!wanted.length) return none;
      return self.lists(wanted).then(function (lists) {
        if (lists.some(function (l) { return l === null; })) return none;
        return new Search(self, wanted, lists, k, allowed || null).run();
      });
    });
  };

  function Search(index, wanted, lists, k, allowed) {
    this.index = index;
    this.wanted = wanted;
    this.lists = lists;
    this.k = k;
    this.allowed = allowed;
    this.taken = wanted.map(function () { return 0; });
    this.seen = {};  // number -> impacts by word (position in `wanted`)
    this.rounds = 1;
  }

  Search.prototype.left = function () {
    var taken = this.taken;
    return this.lists.map(function (chunks, i) {
      return taken[i] < chunks.length ? chunks[taken[i]].best : 0;
    });
  };

  Search.prototype.full = function () {
    var n = this.wanted.length;
    var seen = this.seen;
    var out = [];
    Object.keys(seen).forEach(function (key) {
      var impacts = seen[key];
      var score = 0;
      var have = 0;
      for (var i = 0; i < n; i++) {
        if (impacts[i] !== undefined) {
          score += impacts[i];
          have += 1;
        }
      }
      if (have === n) out.push([score, Number(key)]);
    });
    out.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return out;
  };

  // The most a paper not certain yet could score: one not seen at all, or one seen in
  // some lists, with the best impact left in each list it is missing from.
  Search.prototype.bound = function (left) {
    var n = this.wanted.length;
    var all = left.every(function (v) { return v > 0; });
    var bound = all ? left.reduce(function (a, b) { return a + b; }, 0) : 0;
    var seen = this.seen;
    Object.keys(seen).forEach(function (key) {
      var impacts = seen[key];
      var score = 0;
      var open = true;
      var missing = 0;
      for (var i = 0; i < n; i++) {
        if (impacts[i] !== undefined) {
          score += impacts[i];
        } else if (left[i] > 0) {
          score += left[i];
          missing += 1;
        } else {
          open = false;
        }
      }
      if (open && missing && score > bound) bound = score;
    });
    return bound;
  };

  Search.prototype.take = function (i, postings) {
    var seen = this.seen;
    var allowed = this.allowed;
    postings.numbers.forEach(function (number, j) {
      if (allowed && !allowed(number)) return;
      if (!seen[number]) seen[number] = {};
      seen[number][i] = postings.impacts[j];
    });
    this.taken[i] += 1;
  };

  Search.prototype.run = function () {
    var self = this;
    // Each segment's first chunk came with its dictionary bucket.
    self.lists.forEach(function (chunks, i) {
      while (self.taken[i] < chunks.length && chunks[self.taken[i]].postings) {
        self.take(i, chunks[self.taken[i]].postings);
      }
    });
    return (function step() {
      var left = self.left();
      var full = self.full();
      var bound = self.bound(left);
      // Strictly above: a paper not seen yet could tie the k-th and come first by number.
      if (bound === 0 || (full.length >= self.k && full[self.k - 1][0] > bound)) {
        var top = full.slice(0, self.k);
        // How many papers have every word: all are known (nothing else can match), or
        // the one word's count from the dictionary (when no filter leaves some out).
        var total = bound === 0 ? full.length : null;
        if (total === null && self.wanted.length === 1 && !self.allowed) {
          total = self.lists[0].total;
        }
        return {
          numbers: top.map(function (f) { return f[1]; }),
          scores: top.map(function (f) { return f[0]; }),
          rounds: self.rounds,
          terms: self.wanted,
          complete: bound === 0,
          total: total,
          atLeast: full.length,
        };
      }
      self.rounds += 1;
      var open = [];
      left.forEach(function (v, i) { if (v > 0) open.push(i); });
      return Promise.all(open.map(function (i) {
        return self.index.load(self.lists[i][self.taken[i]]);
      })).then(function (loaded) {
        open.forEach(function (i, j) { self.take(i, loaded[j]); });
        return step();
      });
    })();
  };

  // Files of the word index at `base` (a URL), inflated in the browser.
  function fetcher(base) {
    return function (path) {
      return fetch(new URL(path, base).href).then(function (response) {
        if (!response.ok) throw new Error("word index file missing: " + path);
        if (!/\.bin$/.test(path)) return response.arrayBuffer();
        var inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(inflated).arrayBuffer();
      }).then(function (buffer) { return new Uint8Array(buffer); });
    };
  }

  root.AlmanacWords = {
    Index: Index, fetcher: fetcher, terms: terms, words: words, stem: stem, fnv1a: fnv1a,
  };
})(globalThis);
