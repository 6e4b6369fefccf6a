/* The places map (Leaflet and Leaflet.markercluster, served locally). Progressive enhancement:
   the page's list already holds every piece of information; the map only shows where the
   places are. Nearby markers are grouped in a numbered circle (zoom in on click).
   Base layer: the commune contours (GeoJSON) — no outside network needed — plus tiles when
   the setting MAILLAGE_MAP_TILE_URL is set. */
(function () {
  "use strict";
  var container = document.getElementById("carte-lieux");
  if (!container || typeof L === "undefined") { return; }
  var config = JSON.parse(document.getElementById(container.dataset.mapConfig).textContent);
  if (!config.places.length && !config.origin) { return; }
  var block = container.closest(".places-map-block") || container;
  block.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false, maxZoom: 18 });
  var group = typeof L.markerClusterGroup === "function"
    ? L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: function (cluster) {
        var count = cluster.getChildCount();
        return L.divIcon({
          className: "places-cluster",
          html: "<span>" + count + "</span>",
          iconSize: [36, 36]
        });
      }
    })
    : L.featureGroup();
  group.addTo(map);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var bounds = [];
  config.places.forEach(function (place) {
    var icon = L.divIcon({
      className: "places-marker",
      html: place.rank ? String(place.rank) : "",
      iconSize: [28, 28]
    });
    var marker = L.marker([place.lat, place.lon], { icon: icon, title: place.name, alt: place.name });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    popup.appendChild(link);
    var detail = document.createElement("p");
    detail.textContent = place.kind + (place.minutes ? " — environ " + place.minutes + " min" : "");
    popup.appendChild(detail);
    marker.bindPopup(popup);
    group.addLayer(marker);
    bounds.push([place.lat, place.lon]);
  });
  if (config.origin) {
    L.circleMarker([config.origin.lat, config.origin.lon], {
      radius: 7, color: "#fff", weight: 2, fillColor: "#c9191e", fillOpacity: 1
    }).bindTooltip(config.origin.label).addTo(map);
    bounds.push([config.origin.lat, config.origin.lon]);
  }
  if (bounds.length === 1) { map.setView(bounds[0], 12); } else { map.fitBounds(bounds, { padding: [30, 30] }); }
  fetch(config.contoursUrl, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      var layer = L.geoJSON(data, {
        style: { color: "#6a6af4", weight: 1, fillColor: "#e3e3fd", fillOpacity: config.tileUrl ? 0 : 0.6 },
        interactive: false
      }).addTo(map);
      layer.bringToBack();
    });
  container.dataset.ready = "true";
}());
