// Progressive enhancement: an element with an id and data-refresh="SECONDS" fetches its own page
// again and swaps itself for the fresh copy. Without JavaScript the page simply needs a reload.
document.querySelectorAll('[data-refresh][id]').forEach(function (element) {
  var id = element.id;
  var every = Math.max(2, Number(element.dataset.refresh) || 15) * 1000;
  setInterval(function () {
    if (document.hidden) {
      return;
    }
    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
        var current = document.getElementById(id);
        if (fresh && current && fresh.innerHTML !== current.innerHTML) {
          current.replaceWith(fresh);
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }, every);
});
