// Small page behaviours declared in the markup with data- attributes: the Content-Security-Policy
// allows no inline script, so no onclick="…" either (ADR 12).
(function () {
    'use strict';

    document.addEventListener('click', function (event) {
        var target = event.target instanceof Element ? event.target : null;
        if (!target) {
            return;
        }

        if (target.closest('[data-action="print"]')) {
            window.print();
            return;
        }

        var selectable = target.closest('[data-select-on-click]');
        if (selectable && typeof selectable.select === 'function') {
            selectable.select();
        }
    });
}());
