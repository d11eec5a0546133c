// Building the page from data without ever parsing data as HTML.

/** h('p', { class: 'x' }, 'text', child): an element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === false || value === null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Nested lists of nodes, strings and nothing (null, undefined, false), as a flat list of nodes. */
export function nodes(...children) {
  return children.flat(Infinity).filter((child) => child !== undefined && child !== null && child !== false);
}

/** Replaces what `container` shows. */
export function fill(container, ...children) {
  container.replaceChildren(...nodes(children));
}

export function show(...children) {
  const main = document.getElementById('main');
  fill(main, children);
  main.focus();
}

export function field(label, input) {
  return h('label', {}, label, input);
}

/** A form whose submit runs `action` with the button disabled and a progress note. */
export function form(children, submitLabel, action, busyLabel = 'Searching both repositories…') {
  const button = h('button', { type: 'submit' }, submitLabel);
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const element = h('form', { novalidate: true }, children, button, status);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren(h('p', { class: 'muted' }, busyLabel));
    try {
      await action(new FormData(element), status);
    } finally {
      button.disabled = false;
      if (status.firstChild?.textContent === busyLabel) status.replaceChildren();
    }
  });
  return element;
}

/** s('rect', { x: 1 }): an SVG element, for charts. */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}
