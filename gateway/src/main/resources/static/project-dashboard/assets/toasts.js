// Toasts: notifications (source 000's `notification` event) and the page's own news, in the aria-live #toasts
// container. A toast stays while the pointer or the keyboard focus is on it.

import { cssToken, h } from './dom.js';
import { safeUrl } from './model.js';

const MAX_VISIBLE = 5;
const LIFETIME_MS = { error: 12000, warning: 9000 };
const DEFAULT_LIFETIME_MS = 6000;

export function createToasts(container) {
  function dismiss(toast) {
    toast.classList.add('toast-leaving');
    setTimeout(() => toast.remove(), 200);
  }

  /** `{title, message, type: info | success | warning | error, action_url}` */
  function show({ title, message, type = 'info', action_url: actionUrl } = {}) {
    const kind = ['info', 'success', 'warning', 'error'].includes(type) ? type : cssToken(type);
    const link = safeUrl(actionUrl, location.href);
    const close = h('button', {
      type: 'button',
      class: 'toast-close',
      attrs: { 'aria-label': 'Dismiss notification' },
      text: '×',
    });
    const toast = h(
      'div',
      { class: `toast toast-${kind}`, attrs: { role: kind === 'error' ? 'alert' : null } },
      h('span', { class: 'toast-icon', attrs: { 'aria-hidden': 'true' } }),
      h(
        'div',
        { class: 'toast-body' },
        title ? h('strong', { class: 'toast-title', text: title }) : null,
        message ? h('p', { class: 'toast-message', text: message }) : null,
        link ? h('a', { href: link, class: 'toast-link', text: 'Open', attrs: { rel: 'noopener noreferrer' } }) : null,
      ),
      close,
    );
    close.addEventListener('click', () => dismiss(toast));
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => dismiss(toast), LIFETIME_MS[kind] ?? DEFAULT_LIFETIME_MS);
    };
    const hold = () => clearTimeout(timer);
    toast.addEventListener('pointerenter', hold);
    toast.addEventListener('pointerleave', arm);
    toast.addEventListener('focusin', hold);
    toast.addEventListener('focusout', arm);
    container.append(toast);
    while (container.children.length > MAX_VISIBLE) {
      container.firstElementChild.remove();
    }
    arm();
    return toast;
  }

  return { show };
}
