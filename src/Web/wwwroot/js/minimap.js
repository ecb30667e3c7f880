/*
 * ValDrome — small static maps on detail pages (a unit, a commune).
 *
 * Every element with the class "minimap" is drawn:
 *   data-geojson         GeoJSON geometry, Feature or FeatureCollection as JSON
 *                        text (a unit's Point, a commune's MultiPolygon);
 *   data-communes-url    optional: the territory's communes, drawn lightly
 *                        underneath as context.
 * A point feature with a "rang" property is drawn as a numbered marker (the
 * proposals, numbered like their table); markers that would cover one another
 * (several units at one mairie) are fanned out around a dot at their place,
 * each with a line back to it, and data-fanned on the element counts the
 * markers moved. One with role "emprunteur" is drawn as the borrower. Context
 * names that would overlap a larger commune's are hidden.
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
    // A proposal marker is 26 px (30 px with its border): closer than this, two would cover each other.
    var MARKER_CLEARANCE = 30;
    // Room left around the proposals when fitting, for a fan to open at the edge.
    var FAN_PADDING = 44;
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

    /**
     * A numbered proposal marker, drawn dx, dy pixels away from its place, with a line back to
     * it when moved. An anchor moved by pixels keeps the fan the same size at every zoom.
     */
    function proposalIcon(rank, dx, dy) {
        var node = document.createElement('span');
        node.className = 'proposal-marker__rank';
        node.textContent = String(rank);
        var html = document.createElement('span');
        html.appendChild(node);
        var length = Math.sqrt(dx * dx + dy * dy);
        if (length > 0) {
            var leader = document.createElement('span');
            leader.className = 'proposal-marker__leader';
            leader.setAttribute('aria-hidden', 'true');
            // CSSOM, not a style attribute: allowed by the Content-Security-Policy. From the
            // marker's edge (13 px from its centre) to the dot at its place (4 px wide).
            leader.style.width = Math.max(0, length - 17) + 'px';
            leader.style.transform = 'rotate(' + Math.atan2(-dy, -dx) + 'rad) translateX(13px)';
            html.appendChild(leader);
        }
        return L.divIcon({
            className: 'proposal-marker' + (length > 0 ? ' proposal-marker--fanned' : ''),
            html: html,
            iconSize: [26, 26],
            iconAnchor: [13 - dx, 13 - dy]
        });
    }

    /** Where each member's marker is drawn (layer pixels): its place alone, else on a circle around the group's place. */
    function fanPositions(group) {
        var count = group.members.length;
        if (count === 1) {
            return [group.members[0].point];
        }
        // Far enough out that neighbours on the circle do not touch either.
        var radius = Math.max(MARKER_CLEARANCE, MARKER_CLEARANCE * count / (2 * Math.PI));
        return group.members.map(function (member, i) {
            var angle = -Math.PI / 2 + 2 * Math.PI * i / count;
            return L.point(group.point.x + radius * Math.cos(angle), group.point.y + radius * Math.sin(angle));
        });
    }

    function groupsCollide(a, b) {
        var pa = fanPositions(a);
        var pb = fanPositions(b);
        return pa.some(function (p) {
            return pb.some(function (q) { return p.distanceTo(q) < MARKER_CLEARANCE; });
        });
    }

    /**
     * Groups the proposal markers that would cover one another at this zoom and spreads each
     * group on a circle around the place of its best-ranked marker, in rank order clockwise
     * from the top. A fan that would cover a neighbour takes it in, until nothing covers
     * anything. Run again at each zoom: groups come apart as one zooms in.
     */
    function fanProposals(map, markers, hubs, container) {
        hubs.clearLayers();
        var groups = markers.slice().sort(function (a, b) { return a.rank - b.rank; }).map(function (marker) {
            var point = map.latLngToLayerPoint(marker.getLatLng());
            return { point: point, latlng: marker.getLatLng(), members: [{ marker: marker, point: point }] };
        });
        var merged = true;
        while (merged) {
            merged = false;
            for (var i = 0; i < groups.length && !merged; i++) {
                for (var j = i + 1; j < groups.length && !merged; j++) {
                    if (groupsCollide(groups[i], groups[j])) {
                        // Groups stay in rank order: i holds the better rank, and keeps its place.
                        groups[i].members = groups[i].members.concat(groups[j].members)
                            .sort(function (a, b) { return a.marker.rank - b.marker.rank; });
                        groups.splice(j, 1);
                        merged = true;
                    }
                }
            }
        }
        var fanned = 0;
        groups.forEach(function (group) {
            var positions = fanPositions(group);
            group.members.forEach(function (member, i) {
                var dx = Math.round(positions[i].x - member.point.x);
                var dy = Math.round(positions[i].y - member.point.y);
                member.marker.setIcon(proposalIcon(member.marker.rank, dx, dy));
            });
            if (group.members.length > 1) {
                fanned += group.members.length;
                hubs.addLayer(L.marker(group.latlng, {
                    icon: L.divIcon({ className: 'proposal-hub', html: '', iconSize: [8, 8], iconAnchor: [4, 4] }),
                    interactive: false,
                    keyboard: false,
                    zIndexOffset: -1000
                }));
            }
        });
        container.setAttribute('data-fanned', String(fanned));
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

        var proposals = [];
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
                    var proposal = L.marker(latlng, {
                        icon: proposalIcon(props.rang, 0, 0),
                        interactive: false,
                        keyboard: false,
                        zIndexOffset: 1000 - props.rang
                    });
                    proposal.rank = props.rang;
                    proposals.push(proposal);
                    return proposal;
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
        var hubs = L.layerGroup().addTo(map);
        var margin = proposals.length > 1 ? FAN_PADDING : 16;
        function fit() {
            if (pointOnly) {
                map.setView(layer.getLayers()[0].getLatLng(), POINT_ZOOM);
            } else {
                // Extra room at the bottom for the attribution line.
                map.fitBounds(layer.getBounds(), {
                    paddingTopLeft: [margin, margin],
                    paddingBottomRight: [margin, margin + 18],
                    maxZoom: 15
                });
            }
        }
        if (proposals.length > 1) {
            map.on('zoomend viewreset', function () { fanProposals(map, proposals, hubs, container); });
        }
        fit();
        if (proposals.length > 1) {
            fanProposals(map, proposals, hubs, container);
        }

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
