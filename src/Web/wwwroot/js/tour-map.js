// The technician's route: depot, numbered stops in order, back to the depot.
(function () {
    'use strict';
    var element = document.getElementById('tour-map');
    if (!element || typeof L === 'undefined') {
        return;
    }

    var data = JSON.parse(element.getAttribute('data-tour') || '{}');
    var map = L.map(element, { scrollWheelZoom: false });
    // The map holds focusable controls: an image cannot contain them, a named group can.
    element.setAttribute('role', 'group');
    map.attributionControl.addAttribution('Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0');
    L.control.scale({ imperial: false }).addTo(map);

    var points = [];
    if (data.depot) {
        points.push([data.depot.lat, data.depot.lon]);
    }

    (data.stops || []).forEach(function (stop) {
        points.push([stop.lat, stop.lon]);
    });

    if (data.depot) {
        points.push([data.depot.lat, data.depot.lon]);
    }

    // The view first: Leaflet draws lines only on a map that has one.
    if (points.length > 0) {
        map.fitBounds(L.latLngBounds(points).pad(0.15));
    } else {
        map.setView([44.72, 5.0], 10);
    }

    if (points.length > 1) {
        L.polyline(points, { color: '#2f6b3f', weight: 3, opacity: 0.8 }).addTo(map);
    }

    if (data.depot) {
        L.marker([data.depot.lat, data.depot.lon], {
            icon: L.divIcon({ className: 'tour-depot', html: 'D', iconSize: [26, 26] }),
            title: data.depot.name
        }).addTo(map).bindTooltip(data.depot.name);
    }

    (data.stops || []).forEach(function (stop) {
        var icon = L.divIcon({ className: 'tour-stop-icon' + (stop.visit ? ' visit' : '') + (stop.done ? ' done' : ''), html: String(stop.n), iconSize: [26, 26] });
        L.marker([stop.lat, stop.lon], { icon: icon, title: stop.label }).addTo(map).bindTooltip(stop.label);
    });

    var ready = function () { element.setAttribute('data-ready', 'true'); };
    var context = element.getAttribute('data-communes-url');
    if (!context) {
        ready();
        return;
    }

    fetch(context).then(function (r) { return r.ok ? r.json() : null; }).then(function (communes) {
        if (communes) {
            L.geoJSON(communes, { interactive: false, style: { color: '#8a949a', weight: 1, fillColor: '#f4f2ec', fillOpacity: 1 } })
                .addTo(map).bringToBack();
        }
    }).catch(function () { /* the route alone is still useful */ }).then(ready);
}());
