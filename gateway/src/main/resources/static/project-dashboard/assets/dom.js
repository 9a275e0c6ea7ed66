// Small DOM helpers. Text always goes in as textContent (event data is never parsed as HTML), and nothing sets a
// `style` attribute: the gateway's CSP allows styles from app.css only.

/**
 * `h('li', {class: 'task', data: {taskId: '42'}, attrs: {'aria-label': '…'}, on: {click}}, child, 'text', …)`.
 * Children may be nodes, strings, numbers, arrays, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name === 'data') {
      for (const [key, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) {
          element.dataset[key] = String(v);
        }
      }
    } else if (name === 'attrs') {
      for (const [key, v] of Object.entries(value)) {
        if (v !== undefined && v !== null && v !== false) {
          element.setAttribute(key, v === true ? '' : String(v));
        }
      }
    } else if (name === 'on') {
      for (const [type, handler] of Object.entries(value)) {
        element.addEventListener(type, handler);
      }
    } else if (name === 'text') {
      element.textContent = String(value);
    } else {
      element[name] = value;
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.append(child);
    } else {
      element.append(document.createTextNode(String(child)));
    }
  }
}

/**
 * Makes `parent`'s children match `items`, reusing the element of each key (so focus, open <details>, a test's
 * element reference and a progress bar's animation survive updates): `create(item)` makes a new one, `update(el,
 * item)` refreshes it. Elements of keys no longer listed are removed.
 */
export function syncList(parent, items, keyOf, create, update) {
  const existing = new Map();
  for (const child of [...parent.children]) {
    if (child.dataset.key !== undefined) {
      existing.set(child.dataset.key, child);
    }
  }
  items.forEach((item, index) => {
    const key = String(keyOf(item));
    let element = existing.get(key);
    if (element) {
      existing.delete(key);
    } else {
      element = create(item);
      element.dataset.key = key;
    }
    update(element, item);
    const current = parent.children[index];
    if (current !== element) {
      parent.insertBefore(element, current ?? null);
    }
  });
  for (const stale of existing.values()) {
    stale.remove();
  }
}

/**
 * A panel body that holds either its list or, when there is nothing to list, an empty state (made once by
 * `createEmpty`). Returns the list element to fill (made once by `createList`), or null while the empty state shows.
 */
export function listOrEmpty(body, hasItems, createList, createEmpty) {
  const current = body.firstElementChild;
  if (!hasItems) {
    if (!current?.classList.contains('empty')) {
      body.replaceChildren(createEmpty());
    }
    return null;
  }
  if (current?.dataset.list !== undefined) {
    return current;
  }
  const list = createList();
  list.dataset.list = '';
  body.replaceChildren(list);
  return list;
}

/** A <dl> of [label, value] rows, updated in place. */
export function syncStats(dl, rows) {
  syncList(
    dl,
    rows,
    ([label]) => label,
    ([label]) => h('div', { class: 'stat' }, h('dt', { text: label }), h('dd')),
    (item, [, value]) => setText(item.querySelector('dd'), value),
  );
}

/** Sets text only when it changed (keeps screen readers and selections calm). */
export function setText(element, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (element.textContent !== value) {
    element.textContent = value;
  }
}

/** Sets a `data-*` attribute only when it changed. */
export function setData(element, name, value) {
  const text = value === null || value === undefined ? '' : String(value);
  if (element.dataset[name] !== text) {
    element.dataset[name] = text;
  }
}

/** Sets a <progress> to `percent` (0–100). */
export function setProgress(progress, percent) {
  const value = Math.min(100, Math.max(0, Number(percent) || 0));
  if (Number(progress.value) !== value) {
    progress.value = value;
  }
  progress.setAttribute('aria-valuetext', `${Math.round(value)} %`);
}

/** A status badge: `<span class="badge status-success">success</span>`. */
export function badge(status, text = status) {
  return h('span', { class: `badge status-${cssToken(status)}`, text });
}

export function updateBadge(element, status, text = status) {
  const wanted = `badge status-${cssToken(status)}`;
  if (element.className !== wanted) {
    element.className = wanted;
  }
  setText(element, text);
}

/** A status value as a class-name token (statuses come from events: keep only safe characters). */
export function cssToken(value) {
  return String(value ?? 'unknown')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-');
}

/** An empty-state block: a sentence, then optional command lines to copy. */
export function emptyState(text, ...commands) {
  return h(
    'div',
    { class: 'empty' },
    h('p', { text }),
    commands.map((command) => h('pre', { class: 'command', attrs: { tabindex: '0' } }, h('code', { text: command }))),
  );
}

/** Debounces `fn` to run once, `ms` after the last call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Coalesces render requests into one run per frame (or per 250 ms while the tab is hidden). */
export function renderScheduler(render) {
  let queued = false;
  return () => {
    if (queued) {
      return;
    }
    queued = true;
    const run = () => {
      queued = false;
      render();
    };
    if (document.visibilityState === 'visible' && typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(run);
    } else {
      setTimeout(run, 250);
    }
  };
}
