// The "Print" button of the printable sheets (the CSP allows no inline script).
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
