// GitHub Pages answers a missing address at any depth (/repo/a/b/) with 404.html, and there
// its relative links point below the site. An inline script runs once the stylesheet above
// it has loaded or failed: if it failed, look for it one folder up at a time; where it is
// found is the site's root, and the links and the stylesheet are pointed there.
(function () {
  "use strict";
  var style = document.querySelector('link[rel="stylesheet"]');
  if (location.protocol === "file:" || (style.sheet && style.sheet.cssRules.length)) return;
  var folders = location.pathname.split("/").slice(0, -1);
  function rebase(root) {
    document.querySelectorAll("a[href], link[href]").forEach(function (el) {
      var href = el.getAttribute("href");
      if (!/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(href)) el.setAttribute("href", root + href);
    });
  }
  function look(depth) {
    if (depth < 1) return;
    var root = folders.slice(0, depth).join("/") + "/";
    fetch(root + "assets/site.css", {method: "HEAD"}).then(function (response) {
      if (response.ok) rebase(root); else look(depth - 1);
    }, function () {});
  }
  look(folders.length - 1);
})();
