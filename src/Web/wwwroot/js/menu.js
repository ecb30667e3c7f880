// The header's menu button on a phone: folds the navigation and the account links behind one
// button. Without this script the button stays hidden and the menu stays open (phone.css).
(function () {
    'use strict';

    var button = document.querySelector('.site-header .menu-button');
    var header = button && button.closest('.site-header');
    if (!header) {
        return;
    }

    function setOpen(open) {
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
        header.classList.toggle('menu-open', open);
    }

    button.hidden = false;
    header.classList.add('menu-ready');
    setOpen(false);

    button.addEventListener('click', function () {
        setOpen(button.getAttribute('aria-expanded') !== 'true');
    });

    document.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && header.classList.contains('menu-open')) {
            setOpen(false);
            button.focus();
        }
    });
}());
