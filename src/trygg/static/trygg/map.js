// The survey form's pin map (issue 12). Loaded only on the step with the pins question; Leaflet itself (served by us
// from static/vendor/leaflet/) is fetched only when the resident opens the map. Without JavaScript the list of named
// places and areas beside it is the whole question. Coordinates go into a hidden field and are never shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var box = document.querySelector(".pin-map");
  if (!box) { return; }
  var input = document.getElementById(box.dataset.input);
  var max = Number(box.dataset.max);
  var status = box.querySelector(".pin-status");
  var openButton = box.querySelector("[data-action=open]");
  var body = box.querySelector(".pin-map-body");
  var container = box.querySelector(".leaflet-box");
  var map = null;
  var layer = null;

  function points() {
    return input.value.split(";").map(function (s) { return s.trim(); }).filter(Boolean).map(function (p) {
      return p.split(/\s+/).map(Number);
    }).filter(function (ll) { return ll.length === 2 && !isNaN(ll[0]) && !isNaN(ll[1]); });
  }
  function say(text) { status.textContent = text; }
  function count() {
    say(data.messages.count.replace("%(n)s", points().length).replace("%(max)s", max));
  }
  // Ray casting on the municipality's outline ([lon, lat] pairs), the same rule the server applies.
  function inside(lat, lon) {
    var ring = data.municipality;
    if (!ring) { return true; }
    var hit = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { hit = !hit; }
    }
    return hit;
  }
  // Names from the organisation's data as text, never as HTML.
  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function draw() {
    layer.clearLayers();
    points().forEach(function (ll) {
      window.L.circleMarker(ll, {radius: 9, className: "pin", interactive: false}).addTo(layer);
    });
    count();
  }
  function drop(lat, lon) {
    if (points().length >= max) { say(data.messages.full); return; }
    if (!inside(lat, lon)) { say(data.messages.outside); return; }
    input.value = points().map(function (ll) { return ll[0].toFixed(5) + " " + ll[1].toFixed(5); })
      .concat([lat.toFixed(5) + " " + lon.toFixed(5)]).join("; ");
    draw();
  }
  function build() {
    var L = window.L;
    map = L.map(container, {attributionControl: Boolean(data.tiles), zoomControl: false, zoomSnap: 0.5});
    L.control.zoom({zoomInTitle: data.messages.zoom_in, zoomOutTitle: data.messages.zoom_out}).addTo(map);
    // The view first: permanent labels are placed as soon as their layer is on the map.
    if (data.municipality) {
      map.fitBounds(data.municipality.map(function (c) { return [c[1], c[0]]; }));
    } else {
      map.setView([62, 15], 4);
    }
    if (data.tiles) { L.tileLayer(data.tiles, {attribution: data.attribution, maxZoom: 18}).addTo(map); }
    data.areas.forEach(function (area) {
      L.geoJSON(area.geometry, {className: "area", interactive: false}).addTo(map)
        .bindTooltip(label(area.name), {permanent: true, direction: "center", className: "area-label"});
    });
    data.places.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 4, className: "place", interactive: false}).addTo(map)
        .bindTooltip(label(p.name), {permanent: true, direction: "right", className: "place-label", offset: [6, 0]});
    });
    layer = L.layerGroup().addTo(map);
    map.on("click", function (event) { drop(event.latlng.lat, event.latlng.lng); });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var c = map.getCenter();
        drop(c.lat, c.lng);
      }
    });
    draw();
    // Leaflet's arrow keys work only after it has seen the map gain focus, and the button gave it focus earlier.
    container.blur();
    container.focus();
  }
  function load() {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = script.dataset.leafletCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = script.dataset.leaflet;
    js.addEventListener("load", build);
    document.head.appendChild(js);
  }
  openButton.addEventListener("click", function () {
    body.hidden = false;
    openButton.hidden = true;
    openButton.setAttribute("aria-expanded", "true");
    if (map === null) { load(); } else { map.invalidateSize(); }
    container.focus();
  });
  box.querySelector("[data-action=undo]").addEventListener("click", function () {
    input.value = points().slice(0, -1).map(function (ll) { return ll[0].toFixed(5) + " " + ll[1].toFixed(5); })
      .join("; ");
    if (layer) { draw(); }
  });
  box.hidden = false;
})();
