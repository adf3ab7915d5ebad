// Live parts of a page carry hx-get="" hx-trigger="every Ns" hx-select="#id" hx-swap="outerHTML"
// (and hx-select-oob="#other,…" for parts elsewhere on the page that change with it): htmx
// fetches the page again and swaps those parts. Without JavaScript a reload shows the same.
// This file keeps those refreshes polite.
(function () {
  // A hidden tab asks for nothing; the next visible tick catches up.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var element = event.detail.elt;
    if (element.hasAttribute('hx-trigger') && (document.hidden || partsOf(element).some(isBeingEdited))) {
      event.preventDefault();
    }
  });

  document.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    if (!target.id || !target.hasAttribute('hx-select')) {
      return;
    }
    var fresh = event.detail.xhr.status === 200
      ? new DOMParser().parseFromString(event.detail.serverResponse, 'text/html')
      : null;
    var parts = partsOf(target);
    // Signed out, an error page, or nothing new: keep what is on screen. An unchanged swap would
    // make screen readers announce the whole live region again and close open <details>.
    var unchanged = fresh && parts.every(function (part) {
      var copy = fresh.getElementById(part.id);
      return copy && copy.innerHTML === part.innerHTML;
    });
    if (!fresh || !fresh.getElementById(target.id) || unchanged || parts.some(isBeingEdited)) {
      event.detail.shouldSwap = false;
    }
  });

  function partsOf(target) {
    var parts = [target];
    (target.getAttribute('hx-select-oob') || '').split(',').forEach(function (selector) {
      var part = selector.trim() && document.querySelector(selector.trim());
      if (part && part.id) {
        parts.push(part);
      }
    });
    return parts;
  }

  // Someone typing a comment or choosing in a form inside a live part must not lose it.
  function isBeingEdited(element) {
    return element.contains(document.activeElement) && document.activeElement.matches('input, textarea, select')
      || element.querySelector('[data-edited]') !== null;
  }
  document.addEventListener('input', function (event) {
    if (event.target.matches('input, textarea, select')) {
      event.target.setAttribute('data-edited', '');
    }
  });
})();
