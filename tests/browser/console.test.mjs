// The console in a real browser: Debian's chromium driven by playwright-core, against the real
// imgline binary on loopback. Run by CTest (browser/console):
//   node tests/browser/console.test.mjs IMGLINE_BINARY REPO_DIR SCREENSHOT_DIR
// Exits non-zero on the first failed check, saying which.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const [binary, repo, shots] = process.argv.slice(2);
assert.ok(binary && repo && shots, 'usage: console.test.mjs IMGLINE_BINARY REPO_DIR SCREENSHOT_DIR');
mkdirSync(shots, { recursive: true });
const corpus = (name) => join(repo, 'tests', 'data', 'corpus', name);
const acmeKey = 'acme-console-key';

// ---- the server --------------------------------------------------------------------------

function startServer(data) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data', data], {
      env: { ...process.env, IMGLINE_PARTIES: `supplier:acme:${acmeKey}`, IMGLINE_SERVER__LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    const timer = setTimeout(() => reject(new Error(`imgline did not start: ${text}`)), 60000);
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const found = text.match(/serving on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve({ child, origin: found[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`imgline exited (${code}): ${text}`)));
  });
}

async function api(origin, path, options = {}) {
  const response = await fetch(origin + path, {
    ...options,
    headers: { Authorization: `Bearer ${acmeKey}`, ...(options.headers || {}) },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

// ---- the browser -------------------------------------------------------------------------

async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records every request it makes and fails on any dialog but a delete's confirm.
async function newPage(browser, origin, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  page.requested = [];
  page.on('request', (request) => page.requested.push(request.url()));
  page.alerts = [];
  page.on('dialog', async (dialog) => {
    if (dialog.type() === 'confirm') {
      await dialog.accept();
    } else {
      page.alerts.push(dialog.message());
      await dialog.dismiss();
    }
  });
  page.on('pageerror', (error) => { page.alerts.push(`page error: ${error.message}`); });
  return page;
}

// Polls `check` (async, true when done) for up to `ms`; page.waitForFunction would evaluate a
// string in the page, which the console's Content-Security-Policy rightly forbids.
async function until(what, check, ms = 120000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function signIn(page, origin, key) {
  await page.goto(origin + '/');
  await page.fill('#key', key);
  await page.click('#sign-in-form button[type=submit]');
}

// ---- the checks --------------------------------------------------------------------------

const data = mkdtempSync(join(tmpdir(), 'imgline-console-'));
const { child, origin } = await startServer(data);
const browser = await launch();
let failed = false;
try {
  const page = await newPage(browser, origin);
  // Generous bounds: a loaded CI machine renders slowly; nothing here measures time.
  page.setDefaultTimeout(120000);

  // A wrong key is refused, with a message; the right one greets the party.
  await signIn(page, origin, 'not-the-key');
  await page.waitForSelector('#sign-in-error:not(:empty)');
  assert.match(await page.textContent('#sign-in-error'), /not known/);
  // With the keyboard alone: the key field, then Enter.
  await page.fill('#key', '');
  await page.focus('#key');
  await page.keyboard.type(acmeKey);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#greeting:not(:empty)');
  assert.match(await page.textContent('#greeting'), /acme/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('imgline.key')), acmeKey);

  // Three uploads: one main photo that fails the default brand, two details that pass.
  await page.fill('#sku', 'SHOE-42');
  await page.selectOption('#role', 'main');
  await page.setInputFiles('#files', corpus('recurser__Landscape_6.jpg'));
  await page.waitForSelector('#uploads li.ok', { timeout: 120000 });
  await page.selectOption('#role', 'detail');
  await page.setInputFiles('#files', [corpus('mate__Dune.jpg'), corpus('mate__Blinds.jpg')]);
  await until('three stored uploads', async () => (await page.locator('#uploads li.ok').count()) === 3);
  const bars = await page.$$eval('#uploads progress', (all) => all.map((bar) => bar.value));
  assert.deepEqual(bars, [1, 1, 1], 'three progress bars, all finished');
  const failing = page.locator('#uploads li', { hasText: 'recurser__Landscape_6.jpg' });
  assert.ok(await failing.locator('.rule.fail').count() >= 1, 'the main photo fails a rule');
  assert.match(await failing.locator('.rule.fail .message').first().textContent(), /\S/);
  await failing.locator('canvas.measured[data-drawn="product-box"]').waitFor({ timeout: 120000 });
  const passing = page.locator('#uploads li', { hasText: 'mate__' });
  assert.equal(await passing.count(), 2);
  assert.equal(await passing.locator('.rule.fail').count(), 0, 'the details fail no rule');
  assert.equal(await passing.locator('.summary.pass').count(), 2, 'two passing reports');
  assert.equal(await failing.locator('.summary.fail').count(), 1, 'one failing report');
  // Every thumbnail loaded.
  await until('the thumbnails', async () => (await page.$$eval('#uploads img.thumb',
    (all) => all.length === 3 && all.every((img) => img.complete && img.naturalWidth > 0))));
  await failing.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'console-upload-1280.png'), fullPage: false });

  // A title with markup shows as text, never as HTML.
  const hostile = '<img src=x onerror=alert(1)>';
  const kite = await api(origin, `/v1/originals?sku=XSS-2&title=${encodeURIComponent(hostile)}`, {
    method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: readFileSync(corpus('plasma__Kite_2560x1600.jpg')),
  });
  assert.equal(kite.status, 201);
  await page.click('button[data-tab=library]');
  await page.fill('#search-sku', 'XSS-2');
  await page.click('#search-form button[type=submit]');
  await page.click('#originals .open');
  await page.waitForSelector('#detail .facts');
  assert.ok((await page.textContent('#detail .facts')).includes(hostile), 'the title shows as text');
  assert.equal(await page.locator('#detail img[src="x"]').count(), 0);

  // Check it again against the brand's rules: a fresh report replaces the shown one.
  await page.click('#detail button:has-text("Check again")');
  await page.waitForSelector('#detail .status:not(:empty)');
  assert.match(await page.textContent('#detail .status'), /Checked again/);
  assert.ok(await page.locator('#detail .report .rule').count() >= 1);

  // Delete it, with the confirmation.
  await page.click('#detail button:has-text("Delete")');
  await page.waitForSelector('#library-status:not(:empty)');
  assert.equal((await api(origin, `/v1/originals/${kite.body.id}`)).status, 404);

  // The embed for shops: the snippet is /v1/embed's, and the copy button copies it.
  const list = await api(origin, '/v1/originals?sku=SHOE-42');
  const id = list.body.originals[0].id;
  await page.click('button[data-tab=shops]');
  await page.fill('#embed-id', id);
  await page.selectOption('#carrier', 'unicom');
  await page.click('#embed-form button[type=submit]');
  await page.waitForSelector('#snippet');
  const expected = (await api(origin, `/v1/embed/${id}?carrier=unicom`)).body.html;
  assert.equal(await page.inputValue('#snippet'), expected);
  await page.click('#copy-snippet');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  // By SKU: one embed per image of that SKU (three were uploaded under SHOE-42).
  await page.fill('#embed-id', 'SHOE-42');
  await page.click('#embed-form button[type=submit]');
  await until('three embeds', async () => (await page.locator('#embed .embed-block').count()) === 3);

  // Uploads into product slots: two detail photos fill detail-1 and detail-2 of BAG-7, and the
  // SKU's embeds are then one per slot, with slot URLs (which follow reshoots).
  await page.click('button[data-tab=upload]');
  await page.fill('#sku', 'BAG-7');
  await page.selectOption('#slot', 'detail');
  await page.setInputFiles('#files', [corpus('mate__Dune.jpg'), corpus('mate__Blinds.jpg')]);
  await until('two uploads into slots', async () =>
    (await page.locator('#uploads li.ok', { hasText: 'slot detail-' }).count()) === 2);
  const product = await api(origin, '/v1/products/BAG-7');
  assert.deepEqual(product.body.slots.map((slot) => slot.slot), ['detail-1', 'detail-2']);
  await page.click('button[data-tab=shops]');
  await page.fill('#embed-id', 'BAG-7');
  await page.click('#embed-form button[type=submit]');
  await until('two slot embeds', async () => (await page.locator('#embed .embed-block').count()) === 2);
  const slotSnippet = await page.inputValue('#snippet-detail-1');
  assert.ok(slotSnippet.includes('/p/acme/BAG-7/detail-1/'), 'the snippet uses the slot URL');
  assert.ok(!slotSnippet.includes('/i/'), 'and no fixed photo URL');

  // Narrow phones.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.click('button[data-tab=upload]');
  await page.screenshot({ path: join(shots, 'console-upload-375.png'), fullPage: false });

  // Every control is labelled.
  for (const tab of ['upload', 'library', 'shops']) {
    await page.click(`button[data-tab=${tab}]`);
    const unlabelled = await page.$$eval('input, select, textarea', (all) => all
      .filter((field) => !(field.labels && field.labels.length) && !field.getAttribute('aria-label'))
      .map((field) => field.id || field.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, [], `unlabelled controls on ${tab}`);
  }

  // Every request the page made went to the imgline origin; nothing ran that should not.
  const elsewhere = page.requested.filter((url) => !url.startsWith(origin + '/') && !url.startsWith('blob:'));
  assert.deepEqual(elsewhere, [], 'requests outside the origin');
  assert.deepEqual(page.alerts, [], 'no alert, no page error');

  // Signing out forgets the key.
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('imgline.key')), null);

  // A browser preferring Chinese gets Chinese.
  const chinese = await newPage(browser, origin, { locale: 'zh-CN' });
  chinese.setDefaultTimeout(120000);
  await chinese.goto(origin + '/console');
  assert.equal(await chinese.textContent('#sign-in-title'), '登录');
  assert.equal(await chinese.getAttribute('html', 'lang'), 'zh-CN');
  await signIn(chinese, origin, acmeKey);
  await chinese.waitForSelector('#greeting:not(:empty)');
  assert.match(await chinese.textContent('#greeting'), /已登录/);
  await chinese.screenshot({ path: join(shots, 'console-zh-1280.png') });
  console.log('console: all checks passed');
} catch (error) {
  failed = true;
  console.error(`console: FAILED: ${error.stack || error}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
