// Tap-to-pin on the survey form's map. Without this script the text field alone takes "lat lon; lat lon".
(function () {
  "use strict";
  var MAX = 5;
  document.querySelectorAll(".pin-map").forEach(function (box) {
    var input = document.getElementById(box.dataset.input);
    var svg = box.querySelector("svg");
    var layer = svg.querySelector(".pins");
    var status = box.querySelector(".pin-status");
    var d = svg.dataset;
    var sv = document.documentElement.lang !== "en";

    function points() {
      return input.value.split(";").map(function (s) { return s.trim(); }).filter(Boolean);
    }
    function draw() {
      while (layer.firstChild) { layer.removeChild(layer.firstChild); }
      points().forEach(function (p) {
        var ll = p.split(/\s+/).map(Number);
        if (ll.length !== 2 || isNaN(ll[0]) || isNaN(ll[1])) { return; }
        var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        c.setAttribute("cx", (ll[1] - d.lon0) / (d.lon1 - d.lon0) * d.width);
        c.setAttribute("cy", (d.lat1 - ll[0]) / (d.lat1 - d.lat0) * d.height);
        c.setAttribute("r", 7);
        c.setAttribute("class", "pin");
        layer.appendChild(c);
      });
      var n = points().length;
      status.textContent = sv ? n + " av " + MAX + " punkter markerade." : n + " of " + MAX + " points marked.";
    }
    svg.addEventListener("click", function (event) {
      if (points().length >= MAX) { status.textContent = sv ? "Högst fem punkter." : "At most five points."; return; }
      var box = svg.getBoundingClientRect();
      var x = (event.clientX - box.left) / box.width * d.width;
      var y = (event.clientY - box.top) / box.height * d.height;
      var lon = Number(d.lon0) + x / d.width * (d.lon1 - d.lon0);
      var lat = Number(d.lat1) - y / d.height * (d.lat1 - d.lat0);
      input.value = points().concat([lat.toFixed(5) + " " + lon.toFixed(5)]).join("; ");
      draw();
    });
    box.querySelector("[data-action=undo]").addEventListener("click", function () {
      input.value = points().slice(0, -1).join("; ");
      draw();
    });
    input.addEventListener("change", draw);
    box.hidden = false;
    draw();
  });
})();
