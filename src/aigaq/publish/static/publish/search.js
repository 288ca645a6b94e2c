/* Client-side search of a static Aigaq mirror. Works from any static host and from file://:
   the index is sharded into plain scripts (static/publish/search/<shard>.js) loaded with <script>
   tags, because fetch() of local files is blocked by browsers. Each entry holds a public person's
   name forms, folded and romanised by the server's names engine; here the query is folded the
   same way (Cyrillic romanised with the same table) and every query word must be the start of a
   word of one form. Chinese characters match only Chinese name forms (no pinyin here). */
(function () {
  "use strict";
  var CYR = {"а":"a","ә":"ä","б":"b","в":"v","г":"g","ғ":"gh","д":"d","е":"e","ё":"yo","ж":"j","з":"z",
    "и":"i","й":"y","к":"k","қ":"q","л":"l","м":"m","н":"n","ң":"ng","о":"o","ө":"ö","п":"p","р":"r",
    "с":"s","т":"t","у":"u","ұ":"u","ү":"ü","ф":"f","х":"h","һ":"h","ц":"ts","ч":"ch","ш":"sh",
    "щ":"shch","ъ":"","ы":"y","і":"i","ь":"","э":"e","ю":"yu","я":"ya"};
  var VOWELS = "аәеёиоөұүуыіэюя";
  function fold(s) {
    return s.normalize("NFKC").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function romanCyr(s) {
    var out = "", prev = "";
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (c === "е" && VOWELS.indexOf(prev) >= 0) out += "ye";
      else if (Object.prototype.hasOwnProperty.call(CYR, c)) out += CYR[c];
      else out += c;
      prev = c;
    }
    return out;
  }
  function words(s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function shardOf(w) {
    var c = w[0];
    if ((c >= "a" && c <= "z") || (c >= "0" && c <= "9")) return c;
    var n = c.codePointAt(0) % 64;
    return "u" + (n < 10 ? "0" : "") + n;
  }
  var form = document.getElementById("search-form");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!form || !list || !status) return;
  var base = status.getAttribute("data-index");
  var personUrl = list.getAttribute("data-person");
  var input = document.getElementById("q");
  var loaded = {};
  window.AIGAQ_INDEX = window.AIGAQ_INDEX || {};

  function load(shard, done) {
    if (loaded[shard]) { done(); return; }
    var s = document.createElement("script");
    s.src = base + shard + ".js";
    s.onload = function () { loaded[shard] = true; done(); };
    s.onerror = function () { loaded[shard] = true; window.AIGAQ_INDEX[shard] = window.AIGAQ_INDEX[shard] || []; done(); };
    document.head.appendChild(s);
  }
  function matches(entry, variants) {
    return variants.some(function (qw) {
      return qw.every(function (w) {
        return entry[2].some(function (f) {
          return f.split(/[^\p{L}\p{N}]+/u).some(function (fw) { return fw.indexOf(w) === 0; });
        });
      });
    });
  }
  function run(q) {
    list.textContent = "";
    var plain = words(q);
    if (!plain.length) { status.textContent = ""; return; }
    var roman = words(romanCyr(fold(q)));
    var variants = [plain];
    if (roman.join(" ") !== plain.join(" ")) variants.push(roman);
    var shards = [];
    variants.forEach(function (v) { var k = shardOf(v[0]); if (shards.indexOf(k) < 0) shards.push(k); });
    var pending = shards.length;
    shards.forEach(function (k) {
      load(k, function () {
        if (--pending) return;
        var seen = {}, hits = [];
        shards.forEach(function (sk) {
          (window.AIGAQ_INDEX[sk] || []).forEach(function (e) {
            if (!seen[e[0]] && matches(e, variants)) { seen[e[0]] = true; hits.push(e); }
          });
        });
        hits.sort(function (a, b) { return a[1].localeCompare(b[1]); });
        hits.slice(0, 200).forEach(function (e) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = personUrl.replace("UID", e[0]);
          a.textContent = e[1];
          li.appendChild(a);
          list.appendChild(li);
        });
        status.textContent = hits.length ? hits.length + " ✓" : status.getAttribute("data-none");
      });
    });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run(input.value);
    if (window.history && window.history.replaceState && location.protocol !== "file:") {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
