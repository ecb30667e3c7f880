/*
 * ValDrome — small static maps on detail pages (a unit, a commune).
 *
 * Every element with the class "minimap" is drawn:
 *   data-geojson         GeoJSON geometry, Feature or FeatureCollection as JSON
 *                        text (a unit's Point, a commune's MultiPolygon);
 *   data-communes-url    optional: the territory's communes, drawn lightly
 *                        underneath as context.
 * A point feature with a "rang" property is drawn as a numbered marker (the
 * proposals, numbered like their table); one with role "emprunteur" as the
 * borrower. Context names that would overlap a larger commune's are hidden.
 * No tile layer. Once drawn (context included, or given up on), the element
 * gets data-ready="true"; on invalid data it gets data-ready="false",
 * data-error="geojson" and a French message.
 *
 * Plain ES2017, no build step.
 */
(function () {
    'use strict';

    var ATTRIBUTION_LIMITS = 'Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0';
    var POINT_ZOOM = 13;
    var FETCH_TIMEOUT_MS = 15000;
    var contextCache = {};

    function showMessage(container, text) {
        var box = document.createElement('div');
        box.className = 'map-message map-message--error';
        box.setAttribute('role', 'alert');
        var p = document.createElement('p');
        p.textContent = text;
        box.appendChild(p);
        container.appendChild(box);
    }

    /** Normalises the attribute content to a FeatureCollection, or null. */
    function parseGeoJson(text) {
        var data;
        try {
            data = JSON.parse(text);
        } catch (e) {
            return null;
        }
        if (!data || typeof data !== 'object') {
            return null;
        }
        if (data.type === 'FeatureCollection') {
            return Array.isArray(data.features) ? data : null;
        }
        if (data.type === 'Feature') {
            return data.geometry ? { type: 'FeatureCollection', features: [data] } : null;
        }
        if (Array.isArray(data.coordinates) || data.type === 'GeometryCollection') {
            return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: data }] };
        }
        return null;
    }

    function isPointOnly(collection) {
        return collection.features.length === 1 &&
            collection.features[0].geometry &&
            collection.features[0].geometry.type === 'Point';
    }

    /** One request per URL, shared by all minimaps of the page. */
    function fetchContext(url) {
        if (!contextCache[url]) {
            var controller = typeof AbortController === 'function' ? new AbortController() : null;
            var timer = controller ? setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS) : null;
            contextCache[url] = fetch(url, {
                credentials: 'same-origin',
                headers: { Accept: 'application/geo+json, application/json' },
                signal: controller ? controller.signal : undefined
            }).then(function (response) {
                clearTimeout(timer);
                if (!response.ok) {
                    throw new Error('HTTP ' + response.status + ' for ' + url);
                }
                return response.json();
            }, function (error) {
                clearTimeout(timer);
                throw error;
            });
        }
        return contextCache[url];
    }

    function draw(container) {
        if (typeof window.L === 'undefined') {
            showMessage(container, 'Impossible d\u2019afficher la carte : la bibliothèque cartographique n\u2019est pas disponible.');
            container.setAttribute('data-error', 'leaflet');
            container.setAttribute('data-ready', 'false');
            return;
        }
        var collection = parseGeoJson(container.getAttribute('data-geojson') || '');
        if (!collection || collection.features.length === 0) {
            showMessage(container, 'Impossible d\u2019afficher la carte : la localisation est absente ou invalide.');
            container.setAttribute('data-error', 'geojson');
            container.setAttribute('data-ready', 'false');
            return;
        }

        container.setAttribute('data-ready', 'loading');
        var map = L.map(container, {
            minZoom: 7,
            maxZoom: 17,
            zoomSnap: 0.5,
            scrollWheelZoom: false,
            dragging: !L.Browser.mobile,
            boxZoom: false
        });
        // Drawn, the map holds focusable controls (zoom, attribution link): an image cannot contain
        // them, a named group can (axe: nested-interactive).
        container.setAttribute('role', 'group');
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(ATTRIBUTION_LIMITS);
        // Scale at the top so that the attribution can use the whole bottom line.
        L.control.scale({ imperial: false, position: 'topright', maxWidth: 100 }).addTo(map);

        // Context communes go in a pane below the main feature.
        map.createPane('context');
        map.getPane('context').style.zIndex = 350;
        map.createPane('context-labels');
        map.getPane('context-labels').style.zIndex = 380;
        map.getPane('context-labels').style.pointerEvents = 'none';

        var layer = L.geoJSON(collection, {
            style: function (feature) {
                if (feature.geometry.type === 'Point' || feature.geometry.type === 'MultiPoint') {
                    return {
                        color: '#ffffff',
                        weight: 2.5,
                        opacity: 1,
                        fillColor: '#1f5f99',
                        fillOpacity: 1
                    };
                }
                return {
                    color: '#1f5f99',
                    weight: 2.5,
                    opacity: 1,
                    fillColor: '#4f8fcf',
                    fillOpacity: 0.22
                };
            },
            pointToLayer: function (feature, latlng) {
                var props = feature.properties || {};
                if (typeof props.rang === 'number') {
                    return L.marker(latlng, {
                        icon: L.divIcon({ className: 'proposal-marker', html: String(props.rang), iconSize: [26, 26], iconAnchor: [13, 13] }),
                        interactive: false,
                        keyboard: false,
                        zIndexOffset: 1000 - props.rang
                    });
                }
                if (props.role === 'emprunteur') {
                    return L.marker(latlng, {
                        icon: L.divIcon({ className: 'borrower-marker', html: '', iconSize: [18, 18], iconAnchor: [9, 9] }),
                        interactive: false,
                        keyboard: false
                    });
                }
                return L.circleMarker(latlng, { interactive: false, radius: 8 });
            },
            interactive: false
        }).addTo(map);

        var pointOnly = isPointOnly(collection);
        function fit() {
            if (pointOnly) {
                map.setView(layer.getLayers()[0].getLatLng(), POINT_ZOOM);
            } else {
                // Extra room at the bottom for the attribution line.
                map.fitBounds(layer.getBounds(), {
                    paddingTopLeft: [16, 16],
                    paddingBottomRight: [16, 34],
                    maxZoom: 15
                });
            }
        }
        fit();

        // A minimap laid out while hidden (0×0) is refitted when it appears.
        if (typeof ResizeObserver === 'function') {
            var wasEmpty = container.clientWidth === 0 || container.clientHeight === 0;
            new ResizeObserver(function () {
                map.invalidateSize();
                var empty = container.clientWidth === 0 || container.clientHeight === 0;
                if (wasEmpty && !empty) {
                    fit();
                }
                wasEmpty = empty;
            }).observe(container);
        }

        var contextUrl = container.getAttribute('data-communes-url');
        if (!contextUrl) {
            container.setAttribute('data-ready', 'true');
            return;
        }
        var labels = [];
        function declutter() {
            var placed = [];
            labels.forEach(function (tooltip) {
                var node = tooltip.getElement();
                if (!node) {
                    return;
                }
                node.classList.remove('commune-label--hidden');
                var r = node.getBoundingClientRect();
                var collides = placed.some(function (p) {
                    return r.left - 2 < p.right && r.right + 2 > p.left && r.top < p.bottom && r.bottom > p.top;
                });
                if (collides) {
                    node.classList.add('commune-label--hidden');
                } else {
                    placed.push(r);
                }
            });
        }
        map.on('zoomend moveend resize', declutter);
        fetchContext(contextUrl).then(function (data) {
            L.geoJSON(data, {
                pane: 'context',
                interactive: false,
                filter: function (feature) {
                    return feature.geometry && feature.geometry.type !== 'Point';
                },
                style: function () {
                    return {
                        color: '#8a96a1',
                        weight: 1,
                        opacity: 0.9,
                        fillColor: '#ffffff',
                        fillOpacity: 0.55
                    };
                },
                onEachFeature: function (feature, polygon) {
                    var name = feature.properties && feature.properties.nom;
                    if (name) {
                        // Commune names for orientation (a tooltip is placed
                        // with text content, never parsed as HTML here).
                        var label = document.createElement('span');
                        label.textContent = name;
                        polygon.bindTooltip(label, {
                            permanent: true,
                            direction: 'center',
                            className: 'minimap-label',
                            pane: 'context-labels'
                        });
                        var tooltip = polygon.getTooltip();
                        tooltip.priority = Number(feature.properties.population) || 0;
                        labels.push(tooltip);
                    }
                }
            }).addTo(map);
            labels.sort(function (a, b) { return b.priority - a.priority; });
            declutter();
            container.setAttribute('data-context-loaded', 'true');
        }, function (error) {
            // Context only: the main feature is still shown.
            if (window.console && console.warn) {
                console.warn('[minicarte] communes:', error);
            }
            container.setAttribute('data-context-loaded', 'false');
        }).then(function () {
            container.setAttribute('data-ready', 'true');
        });
    }

    function start() {
        var nodes = document.querySelectorAll('.minimap');
        for (var i = 0; i < nodes.length; i++) {
            if (!nodes[i].hasAttribute('data-ready')) {
                draw(nodes[i]);
            }
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
