/*
 * ValDrome — the choropleth map of /territoire and its month selector.
 *
 * Expects the markup:
 *   <select id="glance-month"> inside the page's GET form (sent as soon as it changes);
 *   <div id="glance-controls" hidden> holding <select id="glance-indicator">;
 *   <div id="glance-map" data-items-url="/ogc/collections/territoire/items?mois=…"
 *        data-month="novembre 2026" data-hire='[{"nom":"Crest","lon":5.02,"lat":44.73}]'></div>
 *   <div id="glance-legend-below"> where the legend goes on a narrow screen;
 * and Leaflet loaded before this script.
 *
 * Contract for automated tests (attributes set on #glance-map):
 *   data-ready="loading" | "true" | "false" (a French message is shown);
 *   data-communes-drawn="<n>"  commune polygons drawn;
 *   data-indicator="<property>" the indicator coloured;
 *   data-legend-classes="<n>"  classes in the legend (besides « aucun » and « pas de données »).
 *
 * Plain ES2017, no build step.
 */
(function () {
    'use strict';

    var FETCH_TIMEOUT_MS = 20000;
    var ATTRIBUTION = 'Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0';
    var PALETTE = ['#d9ecd9', '#a6d4a8', '#6bb372', '#3a8a48', '#1d5e2c'];
    var ZERO_COLOR = '#f4f1ea';
    var NEGATIVE_COLOR = '#d98b6f';
    var NO_DATA_COLOR = '#e0e0e0';
    var INDICATORS = {
        jours_empruntes: { label: 'Jours de matériel empruntés', unit: 'j', whole: true },
        jours_pretes: { label: 'Jours de matériel prêtés', unit: 'j', whole: true },
        heures_services: { label: 'Heures des services', unit: 'h', whole: false },
        km_evites: { label: 'Kilomètres évités', unit: 'km', whole: false },
        co2_evite_kg: { label: 'CO₂ évité', unit: 'kg', whole: false }
    };

    var numbers = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

    function format(value, indicator) {
        return numbers.format(value) + '\u00a0' + indicator.unit;
    }

    function asNumber(value) {
        if (value === null || value === undefined || value === '') {
            return null;
        }
        var n = typeof value === 'number' ? value : Number(value);
        return Number.isFinite(n) ? n : null;
    }

    /* Month selector: the page reloads on the month chosen (the button stays for keyboards without script). */
    var month = document.getElementById('glance-month');
    if (month && month.form) {
        month.addEventListener('change', function () { month.form.submit(); });
    }

    var container = document.getElementById('glance-map');
    if (!container) {
        return;
    }

    function fail(text) {
        container.setAttribute('data-ready', 'false');
        var box = document.createElement('p');
        box.className = 'glance-map-message';
        box.setAttribute('role', 'alert');
        box.textContent = text;
        container.appendChild(box);
    }

    if (!window.L) {
        fail('La carte n\'a pas pu être chargée : le tableau ci-dessous donne les mêmes chiffres.');
        return;
    }

    container.setAttribute('data-ready', 'loading');
    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(ATTRIBUTION);
    map.setView([44.70, 5.02], 10);

    var select = document.getElementById('glance-indicator');
    var controls = document.getElementById('glance-controls');
    var layer = null;
    var legend = null;
    var features = [];

    /* Up to five classes of equal counts among the positive values; zero and negative have their own colour. */
    function classesOf(values, indicator) {
        var positive = values.filter(function (v) { return v !== null && v > 0; }).sort(function (a, b) { return a - b; });
        var uppers = [];
        for (var k = 1; k <= PALETTE.length; k++) {
            var upper = positive[Math.min(positive.length - 1, Math.ceil(k * positive.length / PALETTE.length) - 1)];
            if (upper !== undefined && (uppers.length === 0 || upper > uppers[uppers.length - 1])) {
                uppers.push(upper);
            }
        }
        var previous = null;
        return uppers.map(function (upper, i) {
            var label;
            if (indicator.whole) {
                var lower = previous === null ? 1 : previous + 1;
                label = lower === upper ? format(upper, indicator) : numbers.format(lower) + ' à ' + format(upper, indicator);
            } else {
                label = previous === null ? 'jusqu\'à ' + format(upper, indicator) : 'plus de ' + numbers.format(previous) + ', jusqu\'à ' + format(upper, indicator);
            }
            previous = upper;
            return { max: upper, color: PALETTE[uppers.length === 1 ? 2 : Math.round(i * (PALETTE.length - 1) / (uppers.length - 1))], label: label };
        });
    }

    function colorOf(value, classes) {
        if (value === null) {
            return NO_DATA_COLOR;
        }
        if (value < 0) {
            return NEGATIVE_COLOR;
        }
        if (value === 0) {
            return ZERO_COLOR;
        }
        for (var i = 0; i < classes.length; i++) {
            if (value <= classes[i].max) {
                return classes[i].color;
            }
        }
        return classes.length ? classes[classes.length - 1].color : ZERO_COLOR;
    }

    function swatch(color, text) {
        var row = document.createElement('div');
        row.className = 'glance-legend-row';
        var box = document.createElement('span');
        box.className = 'glance-legend-swatch';
        box.style.background = color;
        row.appendChild(box);
        row.appendChild(document.createTextNode(text));
        return row;
    }

    function draw(property) {
        var indicator = INDICATORS[property] || INDICATORS.jours_empruntes;
        var values = features.map(function (f) { return asNumber(f.properties[property]); });
        var classes = classesOf(values, indicator);
        if (layer) {
            map.removeLayer(layer);
        }
        layer = L.geoJSON({ type: 'FeatureCollection', features: features }, {
            style: function (feature) {
                return { color: '#5d6b77', weight: 1, fillOpacity: 0.85, fillColor: colorOf(asNumber(feature.properties[property]), classes) };
            },
            onEachFeature: function (feature, polygon) {
                var value = asNumber(feature.properties[property]);
                polygon.bindTooltip((feature.properties.nom || '') + ' : ' + (value === null ? 'pas de données' : format(value, indicator)), { sticky: true });
            }
        }).addTo(map);

        var box = document.createElement('div');
        box.className = 'glance-legend';
        box.setAttribute('aria-live', 'polite');
        var title = document.createElement('strong');
        title.textContent = indicator.label + ', ' + (container.getAttribute('data-month') || '');
        box.appendChild(title);
        if (values.some(function (v) { return v !== null && v < 0; })) {
            box.appendChild(swatch(NEGATIVE_COLOR, 'négatif (prêt venu de plus loin que le loueur)'));
        }
        box.appendChild(swatch(ZERO_COLOR, 'aucun'));
        classes.forEach(function (c) { box.appendChild(swatch(c.color, c.label)); });
        if (values.some(function (v) { return v === null; })) {
            box.appendChild(swatch(NO_DATA_COLOR, 'pas de données ce mois-ci'));
        }
        if (legend) {
            map.removeControl(legend);
            legend = null;
        }
        // On a phone the legend would hide half the communes: it goes under the map instead.
        var below = document.getElementById('glance-legend-below');
        if (below) {
            below.textContent = '';
        }
        if (below && container.clientWidth < 560) {
            below.appendChild(box);
        } else {
            legend = L.control({ position: 'bottomright' });
            legend.onAdd = function () { return box; };
            legend.addTo(map);
        }
        container.setAttribute('data-indicator', property);
        container.setAttribute('data-legend-classes', String(classes.length));
    }

    function drawHirePlaces() {
        var places;
        try {
            places = JSON.parse(container.getAttribute('data-hire') || '[]');
        } catch (e) {
            places = [];
        }
        places.forEach(function (place) {
            L.circleMarker([place.lat, place.lon], { radius: 6, color: '#7a3b2e', weight: 2, fillColor: '#ffffff', fillOpacity: 1 })
                .bindTooltip('Loueur le plus proche (hypothèse) : ' + place.nom)
                .addTo(map);
        });
    }

    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS) : null;
    fetch(container.getAttribute('data-items-url'), {
        credentials: 'same-origin',
        headers: { Accept: 'application/geo+json, application/json' },
        signal: controller ? controller.signal : undefined
    }).then(function (response) {
        if (!response.ok) {
            throw new Error('HTTP ' + response.status);
        }
        return response.json();
    }).then(function (data) {
        clearTimeout(timer);
        if (!data || !Array.isArray(data.features)) {
            throw new Error('Not GeoJSON');
        }
        features = data.features;
        drawHirePlaces();
        draw(select ? select.value : 'jours_empruntes');
        if (layer && features.length) {
            map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        if (controls) {
            controls.hidden = false;
        }
        if (select) {
            select.addEventListener('change', function () { draw(select.value); });
        }
        container.setAttribute('data-communes-drawn', String(features.length));
        container.setAttribute('data-ready', 'true');
    }).catch(function () {
        clearTimeout(timer);
        fail('Les communes n\'ont pas pu être chargées : rechargez la page, ou lisez le tableau ci-dessous.');
    });
}());
