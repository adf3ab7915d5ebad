// Live parts of a page carry hx-get="" hx-trigger="every Ns" hx-select="#id" hx-swap="outerHTML":
// htmx fetches the page again and swaps that part. Without JavaScript a reload shows the same.
// This file keeps those refreshes polite.
(function () {
  // A hidden tab asks for nothing; the next visible tick catches up.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var element = event.detail.elt;
    if (element.hasAttribute('hx-trigger') && (document.hidden || isBeingEdited(element))) {
      event.preventDefault();
    }
  });

  document.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    if (!target.id || !target.hasAttribute('hx-select')) {
      return;
    }
    var fresh = event.detail.xhr.status === 200
      ? new DOMParser().parseFromString(event.detail.serverResponse, 'text/html').getElementById(target.id)
      : null;
    // Signed out, an error page, or nothing new: keep what is on screen. An unchanged swap would
    // make screen readers announce the whole live region again and close open <details>.
    if (!fresh || fresh.innerHTML === target.innerHTML || isBeingEdited(target)) {
      event.detail.shouldSwap = false;
    }
  });

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
