// A brand report shown to a supplier: each rule in plain words with what was measured and
// what the brand wants, and the photo with the measured product box and centres drawn on it
// next to the main rendition shoppers will see. Every text from the server goes in as text.
import { t } from './i18n.js';

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

/** The rules of `report` as a list, failing ones first. */
export function ruleList(report) {
  const list = element('ul', 'rules');
  const order = { fail: 0, warn: 1, pass: 2 };
  const rules = [...(report.rules || [])].sort((a, b) => order[a.verdict] - order[b.verdict]);
  for (const rule of rules) {
    const item = element('li', `rule ${rule.verdict}`);
    item.append(element('strong', 'verdict', `${t('verdict')[rule.verdict] || rule.verdict} · ${rule.rule}`));
    item.append(element('span', 'message', rule.message));
    const numbers = element('span', 'numbers', `${t('measured')}: ${rule.measured} · ${t('threshold')}: ${rule.threshold}`);
    item.append(numbers);
    list.append(item);
  }
  return list;
}

/**
 * The photo (a `list` rendition: the whole frame, upright) with the product box, its centre
 * and the frame's centre drawn over it, on a canvas.
 */
export function measuredPicture(id, report) {
  const canvas = element('canvas', 'measured');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('measuredBox'));
  const picture = new Image();
  picture.onload = () => {
    const scale = Math.min(1, 360 / Math.max(picture.width, picture.height));
    canvas.width = Math.round(picture.width * scale);
    canvas.height = Math.round(picture.height * scale);
    const context = canvas.getContext('2d');
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    const guides = report?.guides;
    if (guides) {
      // The brand's margins: the space the trim fix leaves around the product (dashed), and
      // how far the product's centre may stray from the frame's (dotted).
      context.setLineDash([6, 4]);
      context.lineWidth = 1.5;
      context.strokeStyle = '#1a73e8';
      const mx = guides.margin * canvas.width;
      const my = guides.margin * canvas.height;
      context.strokeRect(mx, my, canvas.width - 2 * mx, canvas.height - 2 * my);
      if (guides.centre_tolerance < 1) {
        context.setLineDash([2, 3]);
        const tx = guides.centre_tolerance * canvas.width;
        const ty = guides.centre_tolerance * canvas.height;
        context.strokeRect(canvas.width / 2 - tx, canvas.height / 2 - ty, 2 * tx, 2 * ty);
      }
      context.setLineDash([]);
    }
    const box = report?.measurements?.product;
    if (!box) return;
    const x = box.left * canvas.width;
    const y = box.top * canvas.height;
    const w = box.width * canvas.width;
    const h = box.height * canvas.height;
    context.lineWidth = 2;
    context.strokeStyle = '#d93025';
    context.strokeRect(x, y, w, h);
    const cross = (cx, cy, colour) => {
      context.strokeStyle = colour;
      context.beginPath();
      context.moveTo(cx - 8, cy); context.lineTo(cx + 8, cy);
      context.moveTo(cx, cy - 8); context.lineTo(cx, cy + 8);
      context.stroke();
    };
    cross(x + w / 2, y + h / 2, '#d93025');
    cross(canvas.width / 2, canvas.height / 2, '#1a73e8');
    canvas.dataset.drawn = 'product-box';
  };
  picture.src = `/i/${id}/list.jpg`;
  return canvas;
}

/** The main rendition as shoppers will see it, after the brand's fixes. */
export function shopperPicture(id, alt) {
  const picture = element('img', 'shopper');
  picture.alt = alt || t('asShoppers');
  picture.loading = 'lazy';
  picture.src = `/i/${id}/main.jpg`;
  return picture;
}

/** The whole report block: the two pictures side by side, then the rules. */
export function reportBlock(id, report) {
  const block = element('div', 'report');
  if (report.verdict) {
    block.append(element('p', `summary ${report.verdict}`, t('summary')[report.verdict] || report.verdict));
  }
  const pictures = element('div', 'pictures');
  const mine = element('figure');
  mine.append(measuredPicture(id, report), element('figcaption', '', t('measuredBox')));
  const theirs = element('figure');
  theirs.append(shopperPicture(id), element('figcaption', '', t('asShoppers')));
  pictures.append(mine, theirs);
  block.append(pictures, ruleList(report));
  return block;
}

export { element };
