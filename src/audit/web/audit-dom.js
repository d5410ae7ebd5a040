// Shared helpers for the auditor page's scripts: DOM and SVG builders and formatting. Values are
// always set as text, never parsed as markup, because records hold model output and free text.
(() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'className') node.className = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Number.POSITIVE_INFINITY)) {
      if (c === undefined || c === null || c === false) continue;
      node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children.flat(Number.POSITIVE_INFINITY)) if (c) node.append(c);
    return node;
  }

  const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10} %`);
  const ms = (x) => (x === null || x === undefined ? '–' : `${Math.round(x)} ms`);
  const when = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  };

  window.CiteCareAudit = { el, svg, pct, ms, when };
})();
