/*
 * ValDrome — placing a point on a map (a unit's home, a depot).
 *
 * Every element with the class "place-picker" becomes a Leaflet map of the
 * territory's communes (data-communes-url). A click or a tap places the point
 * and writes it into the inputs named by data-longitude and data-latitude
 * (their ids); typing in those inputs moves the point. The inputs stay the
 * truth: the server checks the point lies inside the territory.
 *
 * Plain ES2017, no build step.
 */
(function () {
    'use strict';

    var ATTRIBUTION = 'Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0';

    function read(input) {
        var value = parseFloat((input.value || '').replace(',', '.'));
        return isFinite(value) ? value : null;
    }

    function setup(container) {
        if (typeof window.L === 'undefined') {
            return;
        }
        var lonInput = document.getElementById(container.getAttribute('data-longitude'));
        var latInput = document.getElementById(container.getAttribute('data-latitude'));
        if (!lonInput || !latInput) {
            return;
        }

        var map = L.map(container, { minZoom: 7, maxZoom: 18, zoomSnap: 0.5, scrollWheelZoom: false });
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(ATTRIBUTION);
        map.setView([44.75, 5.0], 10);
        var marker = null;

        function place(lat, lon, pan) {
            if (marker) {
                marker.setLatLng([lat, lon]);
            } else {
                marker = L.circleMarker([lat, lon], {
                    radius: 8, color: '#ffffff', weight: 2.5, fillColor: '#1f5f99', fillOpacity: 1
                }).addTo(map);
            }
            if (pan) {
                map.panTo([lat, lon]);
            }
        }

        function fromInputs(pan) {
            var lon = read(lonInput);
            var lat = read(latInput);
            if (lon !== null && lat !== null) {
                place(lat, lon, pan);
            }
        }

        map.on('click', function (event) {
            lonInput.value = event.latlng.lng.toFixed(6);
            latInput.value = event.latlng.lat.toFixed(6);
            place(event.latlng.lat, event.latlng.lng, false);
            // The point is chosen by hand: the "point on the map" option follows.
            var form = container.closest('form');
            var option = form && form.querySelector('input[type=radio][value=Point]');
            if (option) {
                option.checked = true;
            }
        });
        lonInput.addEventListener('change', function () { fromInputs(true); });
        latInput.addEventListener('change', function () { fromInputs(true); });

        var url = container.getAttribute('data-communes-url');
        if (url) {
            fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (data) {
                    if (!data) {
                        return;
                    }
                    var communes = L.geoJSON(data, {
                        style: { color: '#1f5f99', weight: 1, fillColor: '#4f8fcf', fillOpacity: 0.08 },
                        interactive: false
                    }).addTo(map);
                    if (read(lonInput) === null || read(latInput) === null) {
                        map.fitBounds(communes.getBounds());
                    }
                    container.setAttribute('data-ready', 'true');
                })
                .catch(function () { container.setAttribute('data-ready', 'false'); });
        }
        fromInputs(true);
        if (marker) {
            map.setView(marker.getLatLng(), 14);
        }
    }

    document.querySelectorAll('.place-picker').forEach(setup);
})();
