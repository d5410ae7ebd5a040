// DOM builders shared by the SMART page and the auditor page. Data enters the DOM only as text
// (attribute values and text nodes), never parsed as markup: records hold model output and free text.
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Sets each attribute (`class` included); undefined, null and false are left out, true is ''. */
function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
  // Children may be nodes, strings, numbers or (nested) arrays of them; null, undefined and false are skipped.
  for (const c of children.flat(Number.POSITIVE_INFINITY)) {
    if (c !== undefined && c !== null && c !== false) node.append(c);
  }
  return node;
}

/** `el('li', { class: 'vital' }, 'text', child)`: an HTML element. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export const byId = (id) => document.getElementById(id);
