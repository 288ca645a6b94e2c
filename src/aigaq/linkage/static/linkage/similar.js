// While a volunteer types a victim's name on the intake form, show the persons already recorded
// under a similar name (any script). Inputs opt in with data-similar-url on the form or on
// themselves; results come from GET <url>?name=... (JSON). No inline script: a CSP forbids it.
(function () {
  "use strict";
  var DELAY = 350;
  function box(input) {
    var id = input.id ? input.id + "-similar" : "";
    var el = id && document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      el.className = "similar-names";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      if (id) el.id = id;
      input.insertAdjacentElement("afterend", el);
    }
    return el;
  }
  function show(input, data) {
    var el = box(input);
    el.textContent = "";
    if (!data.results || !data.results.length) return;
    var label = document.createElement("span");
    label.textContent = (window.gettext ? window.gettext("Possibly already recorded:") : "Possibly already recorded:") + " ";
    el.appendChild(label);
    data.results.forEach(function (r, i) {
      if (i) el.appendChild(document.createTextNode(", "));
      var a = document.createElement("a");
      a.href = r.url;
      a.target = "_blank";
      a.textContent = r.display_name + (r.matched_name && r.matched_name !== r.display_name ? " (" + r.matched_name + ")" : "") + (r.birth_years ? ", " + r.birth_years : "");
      el.appendChild(a);
    });
  }
  function watch(input, url) {
    var timer = null, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        // The names field may hold several forms, one a line: look up the line being typed.
        var lines = input.value.split(/\n/), name = (lines[lines.length - 1] || lines[0] || "").trim();
        if (name.length < 3 || name === last) return;
        last = name;
        fetch(url + "?name=" + encodeURIComponent(name), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (data.name === name) show(input, data); })
          .catch(function () {});
      }, DELAY);
    });
  }
  function init() {
    document.querySelectorAll("[data-similar-url]").forEach(function (host) {
      var url = host.getAttribute("data-similar-url");
      var inputs = host.matches("input, textarea") ? [host] : host.querySelectorAll("[name$='-names'], [name$='-name'], [data-similar]");
      Array.prototype.forEach.call(inputs, function (input) { watch(input, url); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
