// The console: sign-in with the party's key, uploads with their brand reports, the party's
// photos, and embeds for shops. Only the public API; every text from the server or the user
// is inserted as text, never as HTML.
import * as api from './api.js';
import { t, translatePage } from './i18n.js';
import { element, reportBlock, ruleList } from './report.js';

const $ = (id) => document.getElementById(id);
const parallelUploads = 3;

// ---- sign-in ----------------------------------------------------------------------------

async function signIn(key) {
  api.saveKey(key);
  try {
    const me = await api.get('/v1/whoami');
    $('greeting').textContent = t('hello', me.name, me.kind);
    $('sign-in').hidden = true;
    $('tabs').hidden = false;
    $('sign-out').hidden = false;
    $('sign-in-error').textContent = '';
    show('upload');
  } catch (error) {
    api.forgetKey();
    $('sign-in-error').textContent = error.status === 401 ? t('badKey') : t('noServer');
  }
}

function signOut() {
  api.forgetKey();
  location.reload();
}

function show(tab) {
  for (const name of ['upload', 'library', 'shops']) {
    $(name).hidden = name !== tab;
  }
  for (const button of document.querySelectorAll('.tab')) {
    button.setAttribute('aria-current', button.dataset.tab === tab ? 'page' : 'false');
  }
  if (tab === 'library') loadLibrary(true);
}

// ---- uploads ----------------------------------------------------------------------------

const queue = [];
let running = 0;

// The upload's query: its SKU, and its slot (which decides the role) or else the chosen role.
function query(sku, slot) {
  const parts = new URLSearchParams();
  if (sku) parts.set('sku', sku);
  if (sku && slot) {
    parts.set('slot', slot);
  } else if ($('role').value) {
    parts.set('role', $('role').value);
  }
  const text = parts.toString();
  return text ? `?${text}` : '';
}

// The slot file `index` of a batch goes to: main and size-chart take the first file only,
// details and adverts are numbered in order.
function slotFor(index) {
  const kind = $('slot').value;
  if (kind === 'detail' || kind === 'ad') return index < 99 ? `${kind}-${index + 1}` : '';
  return index === 0 ? kind : '';
}

// A batch of files picked or dropped together: [{file, sku}].
function addBatch(batch) {
  batch.forEach(({ file, sku }, index) => addUpload(file, sku, slotFor(index)));
}

function addUpload(file, sku, slot) {
  const item = element('li', 'result');
  const name = element('span', 'file-name', file.name);
  const bar = element('progress');
  bar.max = 1;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  const state = element('span', 'state', t('waiting'));
  item.append(name, bar, state);
  $('uploads').prepend(item);
  queue.push({ file, sku, slot, item, bar, state });
  pump();
}

function pump() {
  while (running < parallelUploads && queue.length > 0) {
    const job = queue.shift();
    running += 1;
    runUpload(job).finally(() => {
      running -= 1;
      pump();
    });
  }
}

async function runUpload({ file, sku, slot, item, bar, state }) {
  state.textContent = t('uploading');
  try {
    const { status, body } = await api.upload(file, query(sku, slot), (share) => { bar.value = share; });
    bar.value = 1;
    if (status === 201 || status === 200) {
      item.classList.add('ok');
      state.textContent = status === 201 ? t('stored') : t('duplicate');
      if (body.slot) state.textContent += ` · ${t('inSlot', body.slot.name)}`;
      const thumb = element('img', 'thumb');
      thumb.alt = file.name;
      thumb.src = `/i/${body.id}/thumb.jpg`;
      item.insertBefore(thumb, item.firstChild);
      item.append(reportBlock(body.id, body.brand_report || {}));
    } else if (status === 422 && body?.report) {
      item.classList.add('refused');
      state.textContent = `${t('refused')}: ${t('blocked')}`;
      item.append(ruleList(body.report));
    } else {
      item.classList.add('refused');
      state.textContent = `${t('failed')}: ${body?.error?.message || status}`;
    }
  } catch {
    item.classList.add('refused');
    state.textContent = `${t('failed')}: ${t('noServer')}`;
  }
}

// Files of a dropped folder, each with the folder's name as its SKU.
async function filesOf(entry, sku, found) {
  if (entry.isFile) {
    found.push({ file: await new Promise((ok, no) => entry.file(ok, no)), sku });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, no) => reader.readEntries(ok, no));
      if (batch.length === 0) break;
      for (const child of batch) await filesOf(child, entry.name, found);
    }
  }
}

async function dropped(event) {
  event.preventDefault();
  $('drop').classList.remove('over');
  const sku = $('sku').value.trim();
  const entries = [...event.dataTransfer.items]
    .map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  if (entries.length === 0) {
    addBatch([...event.dataTransfer.files].map((file) => ({ file, sku })));
    return;
  }
  const found = [];
  for (const entry of entries) await filesOf(entry, entry.isDirectory ? entry.name : sku, found);
  addBatch(found);
}

// ---- library ----------------------------------------------------------------------------

let nextAfter = '';

async function loadLibrary(fresh) {
  if (fresh) {
    nextAfter = '';
    $('originals').replaceChildren();
    $('detail').hidden = true;
    $('library-status').textContent = '';
  }
  const parts = new URLSearchParams({ limit: '24' });
  const sku = $('search-sku').value.trim();
  if (sku) parts.set('sku', sku);
  if (nextAfter) parts.set('after', nextAfter);
  const page = await api.get(`/v1/originals?${parts}`);
  for (const original of page.originals || []) {
    $('originals').append(libraryCard(original));
  }
  if (fresh && (page.originals || []).length === 0) {
    $('originals').append(element('li', 'empty', t('none')));
  }
  nextAfter = page.next_after || '';
  $('more').hidden = !nextAfter;
}

function libraryCard(original) {
  const card = element('li', 'card');
  const open = element('button', 'open');
  open.type = 'button';
  const thumb = element('img', 'thumb');
  thumb.alt = original.title || original.sku || original.id.slice(0, 12);
  thumb.loading = 'lazy';
  thumb.src = `/i/${original.id}/thumb.jpg`;
  open.append(thumb, element('span', 'sku', original.sku || '—'));
  open.addEventListener('click', () => showDetail(original));
  card.append(open);
  return card;
}

function button(textKey, action) {
  const made = element('button', '', t(textKey));
  made.type = 'button';
  made.addEventListener('click', action);
  return made;
}

function showDetail(original) {
  const detail = $('detail');
  detail.replaceChildren();
  detail.hidden = false;
  const facts = element('dl', 'facts');
  for (const [label, value] of [[t('sku'), original.sku], [t('title'), original.title], ['id', original.id]]) {
    facts.append(element('dt', '', label), element('dd', '', value || '—'));
  }
  const status = element('p', 'status');
  status.setAttribute('role', 'status');
  const actions = element('div', 'row');
  actions.append(
    button('download', async () => {
      const file = await api.blob(`/v1/originals/${original.id}/file`);
      const link = element('a');
      link.href = URL.createObjectURL(file);
      link.download = `${original.sku || original.id.slice(0, 12)}.${original.format || 'jpg'}`;
      link.click();
      URL.revokeObjectURL(link.href);
    }),
    button('recheck', async () => {
      const file = await api.blob(`/v1/originals/${original.id}/file`);
      const report = await api.post(`/v1/check?role=${encodeURIComponent(original.role || 'main')}`, file,
        file.type || 'application/octet-stream');
      detail.querySelector('.report')?.replaceWith(reportBlock(original.id, report));
      status.textContent = t('recheckDone');
    }),
    button('embedThis', () => {
      $('embed-id').value = original.id;
      show('shops');
      showEmbed();
    }),
    button('remove', async () => {
      if (!confirm(t('confirmRemove'))) return;
      await api.remove(`/v1/originals/${original.id}`);
      await loadLibrary(true);
      $('library-status').textContent = t('removed');
    }),
  );
  detail.append(facts, actions, status, element('h3', '', t('report')),
    reportBlock(original.id, original.brand_report || {}));
}

// ---- for shops --------------------------------------------------------------------------

function carrierQuery() {
  const parts = new URLSearchParams();
  if ($('carrier').value) parts.set('carrier', $('carrier').value);
  return parts;
}

// The embed of one image; for a SKU, of each slot of the product (slot URLs, which follow
// reshoots), else of each of your images with that SKU.
async function showEmbed() {
  const wanted = $('embed-id').value.trim();
  const out = $('embed');
  out.replaceChildren();
  if (/^[0-9a-f]{64}$/.test(wanted)) {
    const embed = await api.get(`/v1/embed/${wanted}?${carrierQuery()}`);
    out.append(embedBlock(embed, wanted, 'snippet', (preset, format) => `/i/${wanted}/${preset}.${format}`));
    return;
  }
  const me = await api.get('/v1/whoami');
  const product = `${encodeURIComponent(me.name)}/${encodeURIComponent(wanted)}`;
  try {
    const slots = await api.get(`/v1/embed/sku/${product}?${carrierQuery()}`);
    out.append(element('p', 'status', t('slotsOf', wanted)));
    for (const slot of slots.slots) {
      const block = embedBlock({ ...slot, edge: slots.edge, reason: slots.reason }, slot.id, `snippet-${slot.slot}`,
        (preset, format) => `/p/${product}/${slot.slot}/${preset}.${format}`);
      block.prepend(element('h3', '', slot.slot));
      out.append(block);
    }
    return;
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  const page = await api.get(`/v1/originals?${new URLSearchParams({ sku: wanted, limit: '24' })}`);
  const ids = (page.originals || []).map((original) => original.id);
  if (ids.length === 0) {
    out.append(element('p', 'status', t('none')));
    return;
  }
  for (const id of ids) {
    const embed = await api.get(`/v1/embed/${id}?${carrierQuery()}`);
    out.append(embedBlock(embed, id, ids.length === 1 ? 'snippet' : `snippet-${id.slice(0, 12)}`,
      (preset, format) => `/i/${id}/${preset}.${format}`));
  }
}

// One image's embed: its thumbnail, the edge, the snippet with a copy button, and a download
// per preset and format (`pathOf(preset, format)`: the rendition's path on this origin).
function embedBlock(embed, id, fieldId, pathOf) {
  const block = element('div', 'stack embed-block');
  const thumb = element('img', 'thumb');
  thumb.alt = id.slice(0, 12);
  thumb.src = `/i/${id}/thumb.jpg`;
  block.append(thumb,
    element('p', 'edge', embed.edge ? t('servedBy', embed.edge, embed.reason) : t('servedByOrigin')));
  const label = element('label', '', t('snippet'));
  label.htmlFor = fieldId;
  const snippet = element('textarea', 'snippet');
  snippet.id = fieldId;
  snippet.readOnly = true;
  snippet.rows = 6;
  snippet.value = embed.html;
  const copy = button('copy', async () => {
    await navigator.clipboard.writeText(snippet.value).catch(() => {
      snippet.select();
      document.execCommand('copy');
    });
    copy.textContent = t('copied');
  });
  copy.id = `copy-${fieldId}`;
  block.append(label, snippet, copy, element('h3', '', t('downloads')));
  const table = element('ul', 'renditions');
  for (const preset of embed.presets || []) {
    for (const [format, url] of Object.entries(preset.urls || {})) {
      const item = element('li');
      const link = element('a', '', `${preset.name} ${preset.width}×${preset.height} ${format}`);
      link.href = pathOf(preset.name, format);
      link.download = `${id.slice(0, 12)}-${preset.name}.${format}`;
      item.append(link, element('code', 'url', url));
      table.append(item);
    }
  }
  block.append(table);
  return block;
}

// ---- start ------------------------------------------------------------------------------

translatePage();
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('key').value.trim());
});
$('sign-out').addEventListener('click', signOut);
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => show(tab.dataset.tab));
}
$('files').addEventListener('change', () => {
  addBatch([...$('files').files].map((file) => ({ file, sku: $('sku').value.trim() })));
  $('files').value = '';
});
$('drop').addEventListener('dragover', (event) => { event.preventDefault(); $('drop').classList.add('over'); });
$('drop').addEventListener('dragleave', () => $('drop').classList.remove('over'));
$('drop').addEventListener('drop', dropped);
$('drop').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); $('files').click(); }
});
$('search-form').addEventListener('submit', (event) => { event.preventDefault(); loadLibrary(true); });
$('more').addEventListener('click', () => loadLibrary(false));
$('embed-form').addEventListener('submit', (event) => { event.preventDefault(); showEmbed(); });
if (api.savedKey()) signIn(api.savedKey());
