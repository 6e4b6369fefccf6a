/* The operator's tours on a map (Leaflet, served locally): each tour a polyline in its colour
   through its numbered stops. Progressive enhancement: the tables below hold everything. */
(function () {
  "use strict";
  var container = document.getElementById("carte-tournees");
  if (!container || typeof L === "undefined") { return; }
  var config = JSON.parse(document.getElementById(container.dataset.mapConfig).textContent);
  if (!config.tours.length) { return; }
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var bounds = [];
  config.tours.forEach(function (tour) {
    var line = tour.line;
    L.polyline(line, { color: tour.colour, weight: 4, opacity: 0.8, className: "transport-tour-line" })
      .bindTooltip(tour.label).addTo(map);
    tour.stops.forEach(function (stop, index) {
      if (index === 0 || index === tour.stops.length - 1) { return; }
      var icon = L.divIcon({ className: "transport-stop", html: String(index), iconSize: [24, 24] });
      icon.options.html = '<span style="color:' + tour.colour + '">' + index + "</span>";
      var popup = document.createElement("p");
      popup.textContent = stop.caption;
      L.marker([stop.latitude, stop.longitude], { icon: icon, title: stop.caption, alt: stop.caption })
        .bindPopup(popup).addTo(map);
    });
    bounds = bounds.concat(line);
  });
  map.fitBounds(bounds, { padding: [30, 30] });
  fetch(config.contoursUrl, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      L.geoJSON(data, {
        style: { color: "#6a6af4", weight: 1, fillColor: "#e3e3fd", fillOpacity: config.tileUrl ? 0 : 0.6 },
        interactive: false
      }).addTo(map).bringToBack();
    });
  container.dataset.ready = "true";
}());
