"use strict";
// A link in a citation panel leads into the article view: close the panel first so the
// highlighted sentence is not hidden behind it, then move keyboard focus to that sentence.
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest("[popover] a[href^='#']") : null;
  if (!link) {
    return;
  }
  var panel = link.closest("[popover]");
  if (panel && typeof panel.hidePopover === "function" && panel.matches(":popover-open")) {
    panel.hidePopover();
  }
  var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (target) {
    window.requestAnimationFrame(function () {
      target.focus({ preventScroll: true });
    });
  }
});
