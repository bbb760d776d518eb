// Small line icons (24×24, drawn with the current text colour), built as SVG elements: no markup strings.
const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  plus: ['M12 5v14', 'M5 12h14'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  sliders: ['M4 7h16', 'M4 17h16', 'M9 4v6', 'M15 14v6'],
  refresh: ['M20 11a8 8 0 1 0-2.34 5.66', 'M20 4v7h-7'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  check: ['M5 12l5 5L20 7'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  send: ['M12 19V5', 'M6 11l6-6 6 6'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M4 20h16'],
  upload: ['M12 16V5', 'M7 10l5-5 5 5', 'M4 20h16'],
};

/** An icon element by name; 'stop' is a solid square. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('icon');
  if (name === 'stop') {
    const square = document.createElementNS(SVG, 'rect');
    for (const [key, value] of Object.entries({ x: 6, y: 6, width: 12, height: 12, rx: 2 })) {
      square.setAttribute(key, value);
    }
    square.classList.add('filled');
    svg.append(square);
    return svg;
  }
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Fills a button with an icon and, optionally, a visible label. */
export function decorate(button, name, label) {
  button.replaceChildren(icon(name));
  if (label) {
    const text = document.createElement('span');
    text.textContent = label;
    button.append(text);
  }
  return button;
}
