// Shows upload progress; without JavaScript the form posts normally and still works.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("progress");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var t = window.gettext || function (s) { return s; };
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(100 * e.loaded / e.total);
        status.textContent = bar.value + "%";
      }
    };
    xhr.upload.onload = function () { status.textContent = t("Received; storing and hashing…"); };
    xhr.onload = function () {
      var data;
      try { data = JSON.parse(xhr.responseText); } catch (err) { status.textContent = t("Upload failed."); return; }
      status.textContent = data.errors.length ? t("Some files were not stored.") : t("Stored.");
      data.items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.name;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" SHA-256 " + item.sha256));
        results.appendChild(li);
      });
      data.errors.forEach(function (msg) {
        var li = document.createElement("li");
        li.textContent = msg;
        li.className = "error";
        results.appendChild(li);
      });
    };
    xhr.onerror = function () { status.textContent = t("Upload failed: the connection was lost."); };
    xhr.send(new FormData(form));
  });
})();
