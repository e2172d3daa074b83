// The lookup: paste an old URL, find the republished copy. Data comes from the JSON embedded in the page, so
// the page works from file:// and from GitHub Pages without fetching anything.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("keepopen-data").textContent);

  // Must match `report::normalise_url` in Rust.
  function normalise(url) {
    var u = String(url || "").trim().toLowerCase();
    u = u.replace(/[?#].*$/, "");
    u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
    u = u.replace(/^www\./, "");
    u = u.replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
    if (u.indexOf("github.com/") === 0) {
      u = u.split("/").slice(0, 3).join("/");
    }
    return u;
  }

  function lookup(url) {
    var key = normalise(url);
    return key ? (data.redirects[key] || null) : null;
  }

  function show(url) {
    var out = document.getElementById("lookup-result");
    out.textContent = "";
    if (!String(url || "").trim()) { out.className = ""; return; }
    var hit = lookup(url);
    if (hit) {
      out.className = "found";
      out.appendChild(document.createTextNode("Found: " + hit.repo + " was republished at "));
      var a = document.createElement("a");
      a.href = hit.url; a.id = "lookup-link"; a.textContent = hit.url;
      out.appendChild(a);
      out.appendChild(document.createTextNode(" (last seen at commit " + hit["last-seen-commit"].slice(0, 12) + ")"));
    } else {
      out.className = "missing";
      out.textContent = "No republished copy of " + url + " is known here.";
    }
  }

  var form = document.getElementById("lookup");
  var input = document.getElementById("lookup-url");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try { history.replaceState(null, "", "?url=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
  });
  var asked = new URLSearchParams(window.location.search).get("url");
  if (asked) { input.value = asked; show(asked); }
})();
