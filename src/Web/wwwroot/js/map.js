/*
 * ValDrome — territory map of the page /carte.
 *
 * Expects the markup:
 *   <div id="map" class="territory-map"
 *        data-communes-url="/carte/communes.geojson"
 *        data-units-url="/carte/materiel.geojson"
 *        data-communes-inline="carte-communes"
 *        data-units-inline="carte-materiel"></div>
 * and Leaflet + leaflet.markercluster loaded before this script. A layer whose *-inline
 * attribute names a <script type="application/json"> in the page is read from it (the page
 * carries what the URL would answer); otherwise it is fetched from its URL.
 *
 * Contract for automated tests (attributes set on #map):
 *   data-ready="loading"         requests in progress;
 *   data-ready="true"            both layers loaded and drawn;
 *   data-ready="false"           loading failed (a French message is shown), and
 *   data-error tells what failed: "leaflet", "communes", "materiels" or
 *   "communes materiels" (both requests failed), or "carte" (unexpected
 *   error while drawing);
 *   data-communes-loaded="<n>"   number of commune polygons drawn;
 *   data-units-loaded="<n>"      number of unit markers added to the cluster group;
 *   data-choropleth="population|materiels"  indicator currently shown;
 *   data-units-visible="<n>"     units shown after the category filter;
 *   data-category="<name>"       category filtered on ("" for all);
 *   data-labels-shown="<n>"      commune names drawn (the others would overlap);
 *   data-zoom="<z>"              the current zoom, once the view moved.
 * data-my-commune="<id>" on #map (the signed-in agent's commune) outlines that commune.
 * An <svg class="first-view"> inside #map (the map the page draws itself) is removed once a
 * layer is drawn, and kept in front, its links working, when nothing could be.
 *
 * Plain ES2017, no build step.
 */
(function () {
    'use strict';

    var ATTRIBUTION_LIMITS = 'Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0';
    var OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a>';
    var FETCH_TIMEOUT_MS = 20000;
    // A cluster whose units lie closer than this opens straight onto them (spiderfied): they are
    // the units of one commune, and zooming in would only show an empty, blurred street.
    var SPIDERFY_BELOW_METRES = 400;
    var CLUSTER_MAX_ZOOM = 14;
    // Distinct on a light map and told apart by their letter too (colour is not the only cue).
    var CATEGORY_COLORS = ['#1f5f99', '#b3412a', '#2d7a3e', '#7a4fa0', '#a0620f', '#0f7474', '#b52d74', '#4d5a66', '#5a6b12', '#8c3b3b', '#2b4d8c', '#6b4a2f'];
    var CLASS_COUNT = 5;
    // Fallback view (centre of the Val de Drôme) when nothing could be drawn.
    var DEFAULT_CENTER = [44.70, 5.02];
    var DEFAULT_ZOOM = 10;

    var numberFormat = new Intl.NumberFormat('fr-FR');
    var collator = new Intl.Collator('fr', { sensitivity: 'base' });

    // Sequential light palettes, lightest to darkest (5 classes each).
    var INDICATORS = {
        population: {
            label: 'Population',
            legendTitle: 'Population (habitants)',
            property: 'population',
            palette: ['#f1f5fa', '#d4e2f0', '#acc7e2', '#7ea7cf', '#5485b8']
        },
        materiels: {
            label: 'Nombre de matériels',
            legendTitle: 'Nombre de matériels',
            property: 'materiels',
            palette: ['#fbf4ea', '#f6e0c0', '#efc58f', '#e4a35e', '#d0803a']
        }
    };

    var STATUSES = [
        { value: 'En service', key: 'ok', color: '#2f8f4e' },
        { value: 'En maintenance', key: 'maintenance', color: '#e08a00' },
        { value: 'Hors service', key: 'hs', color: '#c23b2e' }
    ];
    var UNKNOWN_STATUS = { value: 'Statut inconnu', key: 'inconnu', color: '#7a8590' };
    var NO_DATA_COLOR = '#e4e4e4';

    // ---------------------------------------------------------------------
    // Small helpers
    // ---------------------------------------------------------------------

    /** Creates an element; children may be strings (text nodes) or nodes. */
    function el(tag, attributes, children) {
        var node = document.createElement(tag);
        if (attributes) {
            Object.keys(attributes).forEach(function (name) {
                var value = attributes[name];
                if (value === null || value === undefined || value === false) {
                    return;
                }
                if (name === 'className') {
                    node.className = value;
                } else if (name === 'text') {
                    node.textContent = value;
                } else if (name === 'checked') {
                    node.checked = Boolean(value);
                } else {
                    node.setAttribute(name, value === true ? '' : String(value));
                }
            });
        }
        (children || []).forEach(function (child) {
            if (child === null || child === undefined) {
                return;
            }
            node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
        });
        return node;
    }

    /** Only same-site absolute paths and http(s) URLs are turned into links. */
    function safeUrl(url) {
        if (typeof url !== 'string') {
            return null;
        }
        if (/^\/(?![\/\\])/.test(url) || /^https?:\/\//i.test(url)) {
            return url;
        }
        return null;
    }

    function asNumber(value) {
        if (value === null || value === undefined || value === '') {
            return null;
        }
        var n = typeof value === 'number' ? value : Number(value);
        return Number.isFinite(n) ? n : null;
    }

    function formatNumber(value) {
        return value === null ? 'non renseigné' : numberFormat.format(value);
    }

    /** French plural: 0 and 1 are singular. */
    function plural(count, singular, pluralForm) {
        return formatNumber(count) + '\u00a0' + (count !== null && Math.abs(count) >= 2 ? pluralForm : singular);
    }

    function statusOf(value) {
        for (var i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i].value === value) {
                return STATUSES[i];
            }
        }
        return UNKNOWN_STATUS;
    }

    /**
     * The layer carried in the page itself (a <script type="application/json"> whose id is in the
     * container's attribute): the same text as its URL answers, without a round trip. Null when
     * the page carries none, and the layer is fetched.
     */
    function inlineGeoJson(container, attribute) {
        var id = container.getAttribute(attribute);
        var node = id ? document.getElementById(id) : null;
        if (!node) {
            return null;
        }
        return new Promise(function (resolve) {
            var data = JSON.parse(node.textContent);
            if (!data || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
                throw new Error('Not a GeoJSON FeatureCollection: #' + id);
            }
            resolve(data);
        });
    }

    function fetchGeoJson(url) {
        var controller = typeof AbortController === 'function' ? new AbortController() : null;
        var timer = controller ? setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS) : null;
        return fetch(url, {
            credentials: 'same-origin',
            headers: { Accept: 'application/geo+json, application/json' },
            signal: controller ? controller.signal : undefined
        }).then(function (response) {
            if (!response.ok) {
                throw new Error('HTTP ' + response.status + ' for ' + url);
            }
            return response.json();
        }).then(function (data) {
            clearTimeout(timer);
            if (!data || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
                throw new Error('Not a GeoJSON FeatureCollection: ' + url);
            }
            return data;
        }, function (error) {
            clearTimeout(timer);
            throw error;
        });
    }

    /**
     * Shows (or replaces) a message box inside the map container.
     * kind: 'loading' | 'error' (blocking, centred) | 'warning' (banner at the
     * top that the user can close, for a partial failure).
     */
    function showMessage(container, kind, text, withReload) {
        var previous = container.querySelector('.map-message');
        if (previous) {
            previous.parentNode.removeChild(previous);
        }
        if (!text) {
            return;
        }
        var box = el('div', {
            className: 'map-message map-message--' + kind,
            role: kind === 'loading' ? 'status' : 'alert'
        }, [el('p', { text: text })]);
        var actions = el('div', { className: 'map-message__actions' });
        if (withReload) {
            var reload = el('button', { type: 'button', className: 'map-message__action', text: 'Recharger la page' });
            reload.addEventListener('click', function () { window.location.reload(); });
            actions.appendChild(reload);
        }
        if (kind === 'warning') {
            var close = el('button', { type: 'button', className: 'map-message__action map-message__action--secondary', text: 'Fermer' });
            close.addEventListener('click', function () {
                if (box.parentNode) {
                    box.parentNode.removeChild(box);
                }
            });
            actions.appendChild(close);
        }
        if (actions.firstChild) {
            box.appendChild(actions);
        }
        container.appendChild(box);
        if (window.L && L.DomEvent) {
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
        }
    }

    // ---------------------------------------------------------------------
    // Classification
    // ---------------------------------------------------------------------

    /*
     * Class breaks are QUANTILES (equal-count classes) computed from the data:
     * commune populations are very skewed (a few towns of several thousand
     * inhabitants, most villages under 300), so equal intervals would put
     * almost every commune in the first class. Both indicators are integer
     * counts, so each class is an inclusive integer range [min, max] and the
     * next class starts at max + 1. Tied values never straddle two classes;
     * when the data has fewer than 5 distinct quantile values, fewer classes
     * are produced (colours are then spread over the palette).
     */
    function quantileClasses(values, classCount) {
        var sorted = values.filter(function (v) { return v !== null; }).sort(function (a, b) { return a - b; });
        if (sorted.length === 0) {
            return [];
        }
        var uppers = [];
        for (var k = 1; k <= classCount; k++) {
            var index = Math.min(sorted.length - 1, Math.ceil(k * sorted.length / classCount) - 1);
            var upper = sorted[index];
            if (uppers.length === 0 || upper > uppers[uppers.length - 1]) {
                uppers.push(upper);
            }
        }
        var lower = sorted[0];
        return uppers.map(function (upper) {
            var range = { min: lower, max: upper };
            lower = Math.floor(upper) + 1;
            return range;
        });
    }

    function paletteFor(classes, palette) {
        var n = classes.length;
        return classes.map(function (_, i) {
            if (n === 1) {
                return palette[Math.floor(palette.length / 2)];
            }
            return palette[Math.round(i * (palette.length - 1) / (n - 1))];
        });
    }

    function classIndex(classes, value) {
        if (value === null) {
            return -1;
        }
        for (var i = 0; i < classes.length; i++) {
            if (value <= classes[i].max) {
                return i;
            }
        }
        return classes.length - 1;
    }

    // ---------------------------------------------------------------------
    // Geometry: a label point guaranteed inside the largest polygon
    // ---------------------------------------------------------------------

    function ringArea(ring) {
        var area = 0;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            area += (ring[j][0] * ring[i][1]) - (ring[i][0] * ring[j][1]);
        }
        return area / 2;
    }

    function ringCentroid(ring) {
        var x = 0;
        var y = 0;
        var a = 0;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            var f = (ring[j][0] * ring[i][1]) - (ring[i][0] * ring[j][1]);
            x += (ring[j][0] + ring[i][0]) * f;
            y += (ring[j][1] + ring[i][1]) * f;
            a += f;
        }
        if (a === 0) {
            return ring[0];
        }
        return [x / (3 * a), y / (3 * a)];
    }

    /**
     * Returns [lon, lat]: the centroid of the largest outer ring when it lies
     * inside that ring, otherwise the middle of the widest horizontal chord of
     * the ring at the centroid's latitude (always inside).
     */
    function labelPoint(geometry) {
        var polygons;
        if (geometry.type === 'Polygon') {
            polygons = [geometry.coordinates];
        } else if (geometry.type === 'MultiPolygon') {
            polygons = geometry.coordinates;
        } else {
            return null;
        }
        var best = null;
        var bestArea = -1;
        polygons.forEach(function (polygon) {
            if (polygon && polygon[0] && polygon[0].length >= 3) {
                var a = Math.abs(ringArea(polygon[0]));
                if (a > bestArea) {
                    bestArea = a;
                    best = polygon[0];
                }
            }
        });
        if (!best) {
            return null;
        }
        var c = ringCentroid(best);
        var crossings = [];
        for (var i = 0, j = best.length - 1; i < best.length; j = i++) {
            var yi = best[i][1];
            var yj = best[j][1];
            if ((yi > c[1]) !== (yj > c[1])) {
                crossings.push(best[i][0] + ((c[1] - yi) / (yj - yi)) * (best[j][0] - best[i][0]));
            }
        }
        crossings.sort(function (a, b) { return a - b; });
        var widest = null;
        for (var k = 0; k + 1 < crossings.length; k += 2) {
            if (c[0] >= crossings[k] && c[0] <= crossings[k + 1]) {
                return c;
            }
            if (!widest || crossings[k + 1] - crossings[k] > widest[1] - widest[0]) {
                widest = [crossings[k], crossings[k + 1]];
            }
        }
        return widest ? [(widest[0] + widest[1]) / 2, c[1]] : c;
    }

    // ---------------------------------------------------------------------
    // Map
    // ---------------------------------------------------------------------

    function init(container) {
        if (typeof window.L === 'undefined' || typeof L.markerClusterGroup !== 'function') {
            showMessage(container, 'error', 'Impossible de charger la carte : la bibliothèque cartographique n\u2019est pas disponible.', true);
            container.setAttribute('data-error', 'leaflet');
            container.setAttribute('data-ready', 'false');
            keepFirstView(container);
            return;
        }

        var communesUrl = container.getAttribute('data-communes-url');
        var unitsUrl = container.getAttribute('data-units-url');
        var smallScreen = window.matchMedia && window.matchMedia('(max-width: 640px)').matches;

        container.setAttribute('data-ready', 'loading');

        var map = L.map(container, {
            // The 36 communes and their outline painted on a canvas, not as 72 SVG paths: on a
            // phone four times slower, building and painting the paths was most of the first draw
            // (ADR 31). Leaflet finds the polygon under a pointer itself; the units stay markers.
            preferCanvas: true,
            minZoom: 8,
            maxZoom: 18,
            zoomSnap: 0.25,
            attributionControl: true
        });
        map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Bibliothèque JavaScript de cartes interactives">Leaflet</a>');
        // Added to the control itself (not to a layer) so it stays visible
        // whatever layers the user hides.
        map.attributionControl.addAttribution(ATTRIBUTION_LIMITS);
        L.control.scale({ imperial: false, position: 'bottomleft', maxWidth: 160 }).addTo(map);

        // No view is set before the data arrives: layers wait for the first
        // view, so the initial fitBounds is applied at once, without animation.

        var osmLayer = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
            maxZoom: 19,
            attribution: OSM_ATTRIBUTION
        });

        showMessage(container, 'loading', 'Chargement de la carte\u2026');

        var communesPromise = inlineGeoJson(container, 'data-communes-inline') || (communesUrl
            ? fetchGeoJson(communesUrl)
            : Promise.reject(new Error('data-communes-url is missing')));
        var unitsPromise = inlineGeoJson(container, 'data-units-inline') || (unitsUrl
            ? fetchGeoJson(unitsUrl)
            : Promise.reject(new Error('data-units-url is missing')));

        var state = {
            map: map,
            container: container,
            indicator: 'population',
            classes: {},
            colors: {},
            missing: {},
            communesLayer: null,
            communesGroup: null,
            labelsLayer: null,
            unitsLayer: null,
            unitMarkers: [],
            categories: [],
            category: '',
            myCommune: container.getAttribute('data-my-commune') || '',
            statusCounts: {},
            hasBasemap: false,
            viewSet: false,
            legend: null
        };

        Promise.all([
            communesPromise.then(function (data) { return { ok: true, data: data }; }, function (error) { return { ok: false, error: error }; }),
            unitsPromise.then(function (data) { return { ok: true, data: data }; }, function (error) { return { ok: false, error: error }; })
        ]).then(function (results) {
            var communes = results[0];
            var units = results[1];
            var overlays = {};

            showMessage(container, 'loading', null);

            if (communes.ok) {
                drawCommunes(state, communes.data);
                overlays['Communes'] = state.communesGroup;
            }
            if (units.ok) {
                drawUnits(state, units.data);
                overlays['Matériels'] = state.unitsLayer;
                addCategoryFilter(state);
            }
            overlays['Fond OpenStreetMap (en ligne)'] = osmLayer;

            L.control.layers(null, overlays, { collapsed: smallScreen, position: 'topright' }).addTo(map);
            if (communes.ok || units.ok) {
                state.legend = createLegendControl(state, communes.ok, units.ok, smallScreen);
                state.legend.addTo(map);
                renderChoroplethLegend(state);
            }
            wireLayerEvents(state, osmLayer);

            if (communes.ok && state.communesLayer.getLayers().length > 0) {
                var bounds = state.communesLayer.getBounds();
                map.fitBounds(bounds, { padding: [16, 16], animate: false });
                map.setMaxBounds(bounds.pad(0.75));
            } else if (units.ok && state.unitsLayer.getLayers().length > 0) {
                map.fitBounds(state.unitsLayer.getBounds(), { padding: [32, 32], maxZoom: 13, animate: false });
            } else {
                map.setView(DEFAULT_CENTER, DEFAULT_ZOOM, { animate: false });
            }
            state.viewSet = true;
            updateLabels(state);
            container.setAttribute('data-zoom', String(map.getZoom()));

            if (!communes.ok && !units.ok) {
                reportFailure(container, 'communes materiels', 'Impossible de charger les données de la carte (communes et matériels). Veuillez réessayer plus tard.', communes.error);
            } else if (!communes.ok) {
                reportFailure(container, 'communes', 'Impossible de charger les limites des communes. Veuillez réessayer plus tard.', communes.error);
            } else if (!units.ok) {
                reportFailure(container, 'materiels', 'Impossible de charger la liste des matériels. Les communes restent affichées.', units.error, true);
            }
            if (communes.ok) {
                container.setAttribute('data-communes-loaded', String(state.communesLayer.getLayers().length));
            }
            if (units.ok) {
                container.setAttribute('data-units-loaded', String(state.unitsLayer.getLayers().length));
            }
            if (communes.ok || units.ok) {
                // The interactive map now shows what the page drew (ADR 31): the page's picture goes.
                var firstView = container.querySelector('.first-view');
                if (firstView) {
                    firstView.parentNode.removeChild(firstView);
                }
            } else {
                keepFirstView(container);
            }
            container.setAttribute('data-ready', communes.ok && units.ok ? 'true' : 'false');
        }).catch(function (error) {
            // Unexpected failure while drawing (bad data shape…).
            if (!state.viewSet) {
                map.setView(DEFAULT_CENTER, DEFAULT_ZOOM, { animate: false });
            }
            reportFailure(container, container.getAttribute('data-error') || 'carte', 'Impossible de charger la carte. Veuillez réessayer plus tard.', error);
            keepFirstView(container);
            container.setAttribute('data-ready', 'false');
        });
    }

    /** When the interactive map could not draw, the page's own picture stays in front of it, its links working. */
    function keepFirstView(container) {
        var firstView = container.querySelector('.first-view');
        if (firstView) {
            firstView.classList.add('first-view--kept');
        }
    }

    function reportFailure(container, part, message, error, partial) {
        if (window.console && console.error) {
            console.error('[carte] ' + part + ':', error);
        }
        container.setAttribute('data-error', part);
        showMessage(container, partial ? 'warning' : 'error', message, true);
    }

    // ----- Communes ---------------------------------------------------------

    function computeClassification(state, features) {
        Object.keys(INDICATORS).forEach(function (key) {
            var indicator = INDICATORS[key];
            var values = features.map(function (f) { return asNumber(f.properties && f.properties[indicator.property]); });
            var classes = quantileClasses(values, CLASS_COUNT);
            state.classes[key] = classes;
            state.missing[key] = values.filter(function (v) { return v === null; }).length;
            state.colors[key] = paletteFor(classes, indicator.palette);
        });
    }

    function fillColorFor(state, feature) {
        var key = state.indicator;
        var value = asNumber(feature.properties && feature.properties[INDICATORS[key].property]);
        var index = classIndex(state.classes[key], value);
        return index < 0 ? NO_DATA_COLOR : state.colors[key][index];
    }

    function isMine(state, feature) {
        return state.myCommune !== '' && feature && String(feature.id) === state.myCommune;
    }

    function communeStyle(state) {
        return function (feature) {
            if (isMine(state, feature)) {
                return {
                    color: '#123a66',
                    weight: 4,
                    opacity: 1,
                    dashArray: null,
                    fillColor: fillColorFor(state, feature),
                    fillOpacity: state.hasBasemap ? 0.55 : 0.85,
                    lineJoin: 'round'
                };
            }
            return {
                color: '#4b5966',
                weight: 1.2,
                opacity: 0.9,
                fillColor: fillColorFor(state, feature),
                fillOpacity: state.hasBasemap ? 0.55 : 0.85,
                lineJoin: 'round'
            };
        };
    }

    function communeTooltip(props) {
        var population = asNumber(props.population);
        var materiels = asNumber(props.materiels);
        return el('div', { className: 'commune-tooltip__body' }, [
            el('strong', { text: props.nom || 'Commune' }),
            el('span', { text: population === null ? 'Population non renseignée' : plural(population, 'habitant', 'habitants') }),
            el('span', { text: materiels === null ? 'Matériels non renseignés' : plural(materiels, 'matériel', 'matériels') })
        ]);
    }

    function communePopup(props) {
        var population = asNumber(props.population);
        var materiels = asNumber(props.materiels);
        var url = safeUrl(props.url);
        return el('div', { className: 'map-popup' }, [
            el('h3', { className: 'map-popup__title', text: props.nom || 'Commune' }),
            el('dl', { className: 'map-popup__facts' }, [
                el('dt', { text: 'Population' }),
                el('dd', { text: population === null ? 'non renseignée' : plural(population, 'habitant', 'habitants') }),
                el('dt', { text: 'Matériels' }),
                el('dd', { text: materiels === null ? 'non renseigné' : formatNumber(materiels) }),
                props.insee ? el('dt', { text: 'Code INSEE' }) : null,
                props.insee ? el('dd', { text: String(props.insee) }) : null
            ]),
            url ? el('a', { className: 'map-popup__link', href: url, text: 'Voir la commune' }) : null
        ]);
    }

    function drawCommunes(state, data) {
        var features = data.features.filter(function (f) {
            return f && f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
        });
        features.forEach(function (f) { f.properties = f.properties || {}; });
        computeClassification(state, features);

        var labels = L.layerGroup();
        var labelOrder = [];
        var layer = L.geoJSON({ type: 'FeatureCollection', features: features }, {
            style: communeStyle(state),
            onEachFeature: function (feature, polygon) {
                var props = feature.properties;
                // Made when first shown: 36 tooltips and popups built up front cost a phone's first second.
                polygon.bindTooltip(function () { return communeTooltip(props); }, {
                    sticky: true,
                    direction: 'top',
                    offset: [0, -8],
                    className: 'commune-tooltip',
                    opacity: 1
                });
                polygon.bindPopup(function () { return communePopup(props); }, { className: 'map-popup-wrapper', maxWidth: 260 });
                polygon.on({
                    mouseover: function () {
                        polygon.setStyle({ weight: 3, color: '#1d2b38', opacity: 1 });
                        polygon.bringToFront();
                    },
                    mouseout: function () {
                        if (!polygon.isPopupOpen()) {
                            layer.resetStyle(polygon);
                        }
                    },
                    // A tap opens the popup: the commune is outlined as a pointer's hover would.
                    popupopen: function () {
                        polygon.setStyle({ weight: 3, color: '#1d2b38', opacity: 1 });
                        polygon.bringToFront();
                    },
                    popupclose: function () {
                        layer.resetStyle(polygon);
                    }
                });

                var point = labelPoint(feature.geometry);
                if (point && props.nom) {
                    var mine = isMine(state, feature);
                    var label = L.marker([point[1], point[0]], {
                        icon: L.divIcon({
                            className: 'commune-label' + (mine ? ' commune-label--mine' : ''),
                            html: el('span', { text: mine ? props.nom + ' (votre commune)' : props.nom }),
                            iconSize: [110, 28],
                            iconAnchor: [55, 14]
                        }),
                        pane: 'commune-labels',
                        interactive: false,
                        keyboard: false
                    });
                    label.priority = mine ? Infinity : (asNumber(props.population) || 0);
                    labels.addLayer(label);
                    labelOrder.push(label);
                }
            }
        });

        // Outline of the territory: a thick, unfilled copy of the communes drawn
        // in a pane below the choropleth. Inner edges are mostly covered by
        // the fills, so the outer boundary stands out.
        if (!state.map.getPane('territory-outline')) {
            state.map.createPane('territory-outline').style.zIndex = 390;
        }
        // Commune names sit above the polygons but below the unit markers.
        if (!state.map.getPane('commune-labels')) {
            var labelPane = state.map.createPane('commune-labels');
            labelPane.style.zIndex = 450;
            labelPane.style.pointerEvents = 'none';
        }
        var outline = L.geoJSON({ type: 'FeatureCollection', features: features }, {
            pane: 'territory-outline',
            interactive: false,
            style: function () {
                return { color: '#34424f', weight: 4.5, opacity: 0.85, fill: false, lineJoin: 'round' };
            }
        });

        state.communesLayer = layer;
        state.labelsLayer = labels;
        state.labelOrder = labelOrder.sort(function (a, b) { return b.priority - a.priority; });
        layer.eachLayer(function (polygon) {
            if (isMine(state, polygon.feature)) {
                polygon.bringToFront();
            }
        });
        state.communesGroup = L.featureGroup([outline, layer]).addTo(state.map);
        state.container.setAttribute('data-choropleth', state.indicator);
    }

    /**
     * Every commune name is drawn; a name that would overlap one already placed is hidden, the
     * signed-in commune first, then the most populated, so the first view reads like a road map.
     */
    function updateLabels(state) {
        if (!state.communesGroup || !state.labelsLayer) {
            return;
        }
        if (!state.communesGroup.hasLayer(state.labelsLayer)) {
            state.communesGroup.addLayer(state.labelsLayer);
        }
        // Every box is read before any class changes: one layout for all the names, not one each
        // (a hidden name keeps its place, so reading it hidden gives the same box).
        var labels = [];
        state.labelOrder.forEach(function (marker) {
            var node = marker.getElement();
            var text = node && node.firstChild;
            if (text) {
                var r = text.getBoundingClientRect();
                labels.push({ node: node, box: { left: r.left - 3, right: r.right + 3, top: r.top - 1, bottom: r.bottom + 1 } });
            }
        });
        var placed = [];
        var shown = 0;
        labels.forEach(function (label) {
            var box = label.box;
            var collides = placed.some(function (p) {
                return box.left < p.right && box.right > p.left && box.top < p.bottom && box.bottom > p.top;
            });
            label.node.classList.toggle('commune-label--hidden', collides);
            if (!collides) {
                placed.push(box);
                shown++;
            }
        });
        state.container.setAttribute('data-labels-shown', String(shown));
    }

    function setIndicator(state, key) {
        if (!INDICATORS[key] || !state.communesLayer) {
            return;
        }
        state.indicator = key;
        state.communesLayer.setStyle(communeStyle(state));
        state.container.setAttribute('data-choropleth', key);
        renderChoroplethLegend(state);
    }

    // ----- Units --------------------------------------------------------------

    /** Categories in French order, each with its colour and a one- or two-letter glyph. */
    function buildCategories(features) {
        var names = [];
        features.forEach(function (f) {
            var name = f && f.properties && f.properties.categorie;
            if (name && names.indexOf(name) < 0) {
                names.push(name);
            }
        });
        names.sort(collator.compare);
        var initials = {};
        names.forEach(function (name) {
            var first = name.charAt(0).toUpperCase();
            initials[first] = (initials[first] || 0) + 1;
        });
        return names.map(function (name, i) {
            var first = name.charAt(0).toUpperCase();
            return {
                name: name,
                key: 'c' + i,
                color: CATEGORY_COLORS[i % CATEGORY_COLORS.length],
                glyph: initials[first] > 1 ? first + name.charAt(1).toLowerCase() : first
            };
        });
    }

    function categoryOf(state, name) {
        for (var i = 0; i < state.categories.length; i++) {
            if (state.categories[i].name === name) {
                return state.categories[i];
            }
        }
        return { name: name || 'Sans catégorie', key: 'c-none', color: '#7a8590', glyph: '?' };
    }

    function glyph(category, className) {
        var node = el('span', { className: className, 'aria-hidden': 'true', text: category.glyph });
        // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
        node.style.backgroundColor = category.color;
        return node;
    }

    function unitIcon(status, category) {
        return L.divIcon({
            className: 'unit-marker unit-marker--category unit-marker--' + status.key,
            html: glyph(category, 'unit-marker__glyph'),
            iconSize: [26, 26],
            iconAnchor: [13, 13],
            popupAnchor: [0, -13],
            tooltipAnchor: [13, 0]
        });
    }

    function unitPopup(props, status) {
        var url = safeUrl(props.url);
        var name = props.nom || 'Matériel';
        var facts = [
            el('dt', { text: 'Catégorie' }),
            el('dd', { text: props.categorie || 'non renseignée' }),
            el('dt', { text: 'Propriétaire' }),
            el('dd', { text: props.proprietaire || 'non renseigné' }),
            el('dt', { text: 'Statut' }),
            el('dd', null, [
                el('span', { className: 'status-badge status-badge--' + status.key, text: props.statut || status.value })
            ])
        ];
        // Only with « Quand ? » (du, au): the days asked are the reason the unit is on the map.
        if (typeof props.disponibilite === 'string' && props.disponibilite !== '') {
            facts.push(el('dt', { text: 'Disponibilité' }));
            facts.push(el('dd', { className: 'map-popup__availability', text: props.disponibilite }));
        }
        return el('div', { className: 'map-popup' }, [
            el('h3', { className: 'map-popup__title' }, [
                url ? el('a', { href: url, text: name }) : name
            ]),
            el('dl', { className: 'map-popup__facts' }, facts)
        ]);
    }

    function clusterIcon(cluster) {
        var markers = cluster.getAllChildMarkers();
        var total = markers.length;
        var counts = {};
        var colors = {};
        markers.forEach(function (m) {
            var key = m.options.categoryKey;
            counts[key] = (counts[key] || 0) + 1;
            colors[key] = m.options.categoryColor;
        });
        // Ring showing the share of each category among the grouped units.
        var stops = [];
        var start = 0;
        Object.keys(counts).sort().forEach(function (key) {
            var end = start + (counts[key] / total) * 100;
            stops.push(colors[key] + ' ' + start.toFixed(2) + '% ' + end.toFixed(2) + '%');
            start = end;
        });
        var size = total < 10 ? 34 : total < 50 ? 40 : 48;
        // Built with DOM/CSSOM (no inline style attribute) to stay compatible
        // with a strict Content-Security-Policy.
        var ring = el('span', { className: 'unit-cluster__ring' }, [
            el('span', { className: 'unit-cluster__count', text: numberFormat.format(total) })
        ]);
        ring.style.background = 'conic-gradient(' + stops.join(', ') + ')';
        return L.divIcon({
            className: 'unit-cluster',
            html: ring,
            iconSize: [size, size],
            iconAnchor: [size / 2, size / 2]
        });
    }

    function drawUnits(state, data) {
        state.categories = buildCategories(data.features);
        var group = L.markerClusterGroup({
            showCoverageOnHover: false,
            spiderfyOnMaxZoom: true,
            // clusterclick below decides between zooming and opening onto the units.
            zoomToBoundsOnClick: false,
            maxClusterRadius: 45,
            spiderfyDistanceMultiplier: 1.6,
            iconCreateFunction: clusterIcon
        });
        var markers = [];
        data.features.forEach(function (feature) {
            var g = feature && feature.geometry;
            if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) {
                return;
            }
            var lon = asNumber(g.coordinates[0]);
            var lat = asNumber(g.coordinates[1]);
            if (lon === null || lat === null) {
                return;
            }
            var props = feature.properties || {};
            var status = statusOf(props.statut);
            var category = categoryOf(state, props.categorie);
            var marker = L.marker([lat, lon], {
                icon: unitIcon(status, category),
                title: (props.nom || 'Matériel') + ' — ' + category.name + ' — ' + (props.statut || status.value),
                alt: props.nom || 'Matériel',
                riseOnHover: true,
                statusKey: status.key,
                categoryKey: category.key,
                categoryColor: category.color,
                categoryName: category.name
            });
            marker.bindPopup(function () { return unitPopup(props, status); }, { className: 'map-popup-wrapper', maxWidth: 280 });
            markers.push(marker);
        });
        group.on('clusterclick', function (e) {
            var cluster = e.layer;
            var bounds = cluster.getBounds();
            var span = bounds.getSouthWest().distanceTo(bounds.getNorthEast());
            // Units that would still sit together at the closest useful zoom (a village's mairie
            // and depot) are fanned out where they are rather than zoomed onto.
            var fitZoom = state.map.getBoundsZoom(bounds, false, L.point(96, 96));
            if (span < SPIDERFY_BELOW_METRES || fitZoom >= CLUSTER_MAX_ZOOM || state.map.getZoom() >= CLUSTER_MAX_ZOOM - 0.5) {
                cluster.spiderfy();
            } else {
                cluster.zoomToBounds({ padding: [48, 48], maxZoom: CLUSTER_MAX_ZOOM });
            }
        });
        group.addLayers(markers);
        group.addTo(state.map);
        state.unitsLayer = group;
        state.unitMarkers = markers;
        state.container.setAttribute('data-units-visible', String(markers.length));
        state.statusCounts = markers.reduce(function (acc, m) {
            acc[m.options.statusKey] = (acc[m.options.statusKey] || 0) + 1;
            return acc;
        }, {});
    }

    /** « Que cherchez-vous ? »: a select above the map that keeps only one category's units. */
    function addCategoryFilter(state) {
        if (state.categories.length === 0) {
            return;
        }
        var select = el('select', { id: 'map-category', name: 'categorie' }, [el('option', { value: '', text: 'Toutes les catégories' })]);
        state.categories.forEach(function (category) {
            var count = state.unitMarkers.filter(function (m) { return m.options.categoryKey === category.key; }).length;
            select.appendChild(el('option', { value: category.name, text: category.name + ' (' + numberFormat.format(count) + ')' }));
        });
        var status = el('span', { className: 'map-filter__count', role: 'status' });
        var form = el('div', { className: 'map-filter' }, [
            el('label', { 'for': 'map-category', text: 'Catégorie de matériel' }),
            select,
            status
        ]);
        function apply(first) {
            state.category = select.value;
            var shown = state.unitMarkers.filter(function (m) {
                return state.category === '' || m.options.categoryName === state.category;
            });
            // At first every unit is already grouped: grouping them all again doubled the work.
            if (!first) {
                state.unitsLayer.clearLayers();
                state.unitsLayer.addLayers(shown);
            }
            status.textContent = shown.length === 1 ? '1\u00a0matériel affiché' : numberFormat.format(shown.length) + '\u00a0matériels affichés';
            state.container.setAttribute('data-units-visible', String(shown.length));
            state.container.setAttribute('data-category', state.category);
        }
        select.addEventListener('change', function () { apply(false); });
        // The page showed this filter, not yet usable, where it stands (ADR 31): this one takes its place.
        var shown = state.container.parentNode.querySelector('.map-filter[data-first-view]');
        if (shown) {
            shown.parentNode.removeChild(shown);
        }
        state.container.parentNode.insertBefore(form, state.container);
        apply(state.category === '');
    }

    // ----- Legend and indicator switch ----------------------------------------

    function createLegendControl(state, hasCommunes, hasUnits, collapsed) {
        var control = L.control({ position: 'bottomright' });
        control.onAdd = function () {
            var details = el('details', { className: 'map-panel' });
            if (!collapsed) {
                details.open = true;
            }
            details.appendChild(el('summary', { className: 'map-panel__summary', text: 'Légende' }));

            if (hasCommunes) {
                var fieldset = el('fieldset', { className: 'map-panel__switch choropleth-switch' }, [
                    el('legend', { text: 'Colorer les communes selon' })
                ]);
                Object.keys(INDICATORS).forEach(function (key) {
                    var input = el('input', {
                        type: 'radio',
                        name: 'valdrome-choropleth',
                        value: key,
                        checked: key === state.indicator
                    });
                    input.addEventListener('change', function () {
                        if (input.checked) {
                            setIndicator(state, key);
                        }
                    });
                    fieldset.appendChild(el('label', { className: 'choropleth-switch__option' }, [input, ' ' + INDICATORS[key].label]));
                });
                details.appendChild(el('div', { className: 'map-panel__section map-panel__section--communes' }, [
                    fieldset,
                    el('div', { className: 'choropleth-legend', 'aria-live': 'polite' })
                ]));
            }

            if (hasUnits) {
                var list = el('ul', { className: 'status-legend category-legend' });
                state.categories.forEach(function (category) {
                    var count = state.unitMarkers.filter(function (m) { return m.options.categoryKey === category.key; }).length;
                    list.appendChild(el('li', null, [
                        glyph(category, 'category-legend__glyph'),
                        category.name + ' (' + numberFormat.format(count) + ')'
                    ]));
                });
                var inMaintenance = (state.statusCounts && state.statusCounts.maintenance) || 0;
                var outOfService = (state.statusCounts && state.statusCounts.hs) || 0;
                if (inMaintenance + outOfService > 0) {
                    list.appendChild(el('li', { className: 'category-legend__status' }, [
                        el('span', { className: 'category-legend__glyph category-legend__glyph--unavailable', 'aria-hidden': 'true' }),
                        'Cerclé d\u2019orange : en maintenance ou hors service (' + numberFormat.format(inMaintenance + outOfService) + ')'
                    ]));
                }
                details.appendChild(el('div', { className: 'map-panel__section map-panel__section--units' }, [
                    el('h4', { className: 'map-panel__heading', text: 'Matériels' }),
                    list
                ]));
            }

            L.DomEvent.disableClickPropagation(details);
            L.DomEvent.disableScrollPropagation(details);
            control.panel = details;
            return details;
        };
        control.onRemove = function () {
            control.panel = null;
        };
        return control;
    }

    function renderChoroplethLegend(state) {
        var panel = state.legend && state.legend.panel;
        var target = panel && panel.querySelector('.choropleth-legend');
        if (!target) {
            return;
        }
        var key = state.indicator;
        var classes = state.classes[key] || [];
        var colors = state.colors[key] || [];
        while (target.firstChild) {
            target.removeChild(target.firstChild);
        }
        target.appendChild(el('h4', { className: 'map-panel__heading', text: INDICATORS[key].legendTitle }));
        var list = el('ul', { className: 'choropleth-legend__classes' });
        classes.forEach(function (range, i) {
            var text = range.min === range.max
                ? formatNumber(range.min)
                : formatNumber(range.min) + ' – ' + formatNumber(range.max);
            var swatch = el('span', { className: 'choropleth-legend__swatch', 'aria-hidden': 'true' });
            swatch.style.backgroundColor = colors[i];
            list.appendChild(el('li', null, [swatch, text]));
        });
        if (state.missing[key] > 0) {
            var noData = el('span', { className: 'choropleth-legend__swatch', 'aria-hidden': 'true' });
            noData.style.backgroundColor = NO_DATA_COLOR;
            list.appendChild(el('li', null, [noData, 'Non renseigné']));
        }
        target.appendChild(list);
        target.appendChild(el('p', { className: 'choropleth-legend__note', text: 'Classes par quantiles (effectifs égaux)' }));
    }

    // ----- Layer events ---------------------------------------------------------

    function wireLayerEvents(state, osmLayer) {
        var map = state.map;
        map.on('zoomend moveend resize', function () {
            // The first view is set once everything is drawn, and places the names itself.
            if (!state.viewSet) {
                return;
            }
            updateLabels(state);
            state.container.setAttribute('data-zoom', String(map.getZoom()));
        });
        map.on('overlayadd overlayremove', function (e) {
            var visible = e.type === 'overlayadd';
            if (e.layer === osmLayer) {
                state.hasBasemap = visible;
                state.container.classList.toggle('has-basemap', visible);
                if (state.communesLayer) {
                    state.communesLayer.setStyle(communeStyle(state));
                }
            } else if (e.layer === state.communesGroup) {
                togglePanelSection(state, 'communes', visible);
                if (visible) {
                    updateLabels(state);
                }
            } else if (e.layer === state.unitsLayer) {
                togglePanelSection(state, 'units', visible);
            }
        });
    }

    function togglePanelSection(state, name, visible) {
        var panel = state.legend && state.legend.panel;
        var section = panel && panel.querySelector('.map-panel__section--' + name);
        if (section) {
            section.hidden = !visible;
        }
    }

    function start() {
        var container = document.getElementById('map');
        if (!container || container.hasAttribute('data-ready')) {
            return;
        }
        if (container.querySelector('.first-view') && window.requestAnimationFrame) {
            // The page's own picture is painted first (a frame), then replaced: when this script
            // came before the page had been drawn once, the phone would otherwise show nothing
            // until Leaflet had drawn everything.
            requestAnimationFrame(function () {
                setTimeout(function () {
                    if (!container.hasAttribute('data-ready')) {
                        init(container);
                    }
                }, 0);
            });
            return;
        }
        init(container);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
