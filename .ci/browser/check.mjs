#!/usr/bin/env node
// Real-browser checks of a static site (vlr's web edition; README, "Set up": browser checks).
//
//   node check.mjs SITE_DIR [--shots OUT_DIR] [--pages GLOB...]
//
// Opens every *.html under SITE_DIR in headless Chromium (puppeteer-core, the system
// Chromium: /usr/bin/chromium or $CHROMIUM) from its file:// URL and fails a page for:
//   - an axe-core violation of serious or critical impact (moderate and minor are printed as notes);
//   - a request that failed (a missing file, a response with status >= 400);
//   - a request for anything not on file:// (the site must fetch nothing from elsewhere; such
//     requests are aborted, so the check never touches the network), or a file outside SITE_DIR;
//   - a console message of type error or assert, or an uncaught page error;
//   - horizontal scrolling of the page at 360 px wide (WCAG 1.4.10 Reflow, which axe cannot see);
//   - text that runs out of the box painted under it (a goal's name wider than its tile: light
//     ink that leaves its colour is lost on the white page), at either width;
//   - words of an SVG picture (a chart's labels) drawn below 10 px because the picture was scaled
//     down to fit a narrow screen: the web's small-text, at either width;
//   - a link to a page of the site that does not exist, or to a #fragment that no element has.
// With --shots, writes a full-page screenshot at 360 px and 1440 px wide of each page, named after
// its path (en/sdg13.html -> en-sdg13-360.png, en-sdg13-1440.png).
//
// Exit status: 0 every page passed, 1 some page failed, 2 the check could not run (bad arguments,
// no site dir, no page found, Chromium would not start).
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const axe = require('axe-core');

// The rules a demanding accessibility reviewer runs: every WCAG 2.0, 2.1 and 2.2 success criterion
// at levels A and AA (the level laws and procurement rules ask for), plus Deque's best-practice
// rules (landmarks, one h1, heading order, unique landmark names...), which catch what makes a
// long document hard to move through with a screen reader. AAA is left out, as W3C advises for
// whole sites; "experimental" rules are left out because they may report false positives.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const WIDTHS = [360, 1440];
const REFLOW_WIDTH = 360;
// The smallest size at which the words of a chart stay legible on a screen (7.5 pt).
const MIN_PICTURE_TEXT_PX = 10;
const NAV_TIMEOUT_MS = 60_000;
const USAGE = 'usage: node check.mjs SITE_DIR [--shots OUT_DIR] [--pages GLOB...]';

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { site: null, shots: null, pages: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--shots') {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError('--shots needs a directory');
      args.shots = argv[++i];
    } else if (arg === '--pages') {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.pages.push(argv[++i]);
      if (args.pages.length === 0) throw new UsageError('--pages needs at least one glob');
    } else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (args.site === null) {
      args.site = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg} (one SITE_DIR only)`);
    }
  }
  if (args.site === null) throw new UsageError('no SITE_DIR given');
  if (!existsSync(args.site) || !statSync(args.site).isDirectory()) {
    throw new UsageError(`site directory ${args.site} does not exist (build it first)`);
  }
  return args;
}

// A glob over paths relative to the site: `*` and `?` stay within one path segment, `**` crosses them.
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// Every *.html under `dir`, as sorted '/'-separated paths relative to it (symlinks not followed).
function findPages(dir, rel = '') {
  const pages = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) pages.push(...findPages(dir, relPath));
    else if (entry.isFile() && entry.name.endsWith('.html')) pages.push(relPath);
  }
  return pages.sort();
}

function shotName(page, width) {
  return `${page.replace(/\.html$/, '').replaceAll('/', '-')}-${width}.png`;
}

// What the page asked for and said while it loaded, split into failures and notes.
function watchPage(page, siteRoot) {
  const seen = { failures: [], notes: [], failedUrls: new Set(), blockedUrls: new Set(), consoleErrors: [] };
  const said = new Set();
  // Each fault and note is reported once however often it shows (the checks run at each width).
  const once = (key) => !said.has(key) && said.add(key);
  const fail = (kind, text) => once(`${kind}\u0000${text}`) && seen.failures.push({ kind, text });
  seen.fail = fail;
  seen.note = (text) => once(`note\u0000${text}`) && seen.notes.push(text);

  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) {
      request.continue();
      return;
    }
    if (!url.startsWith('file:')) {
      seen.blockedUrls.add(url);
      fail('external request', `${url} (blocked: the site must fetch nothing from elsewhere)`);
      request.abort('blockedbyclient');
      return;
    }
    const file = fileURLToPath(url);
    if (file !== siteRoot && !file.startsWith(siteRoot + path.sep)) {
      seen.blockedUrls.add(url);
      fail('request outside the site', `${url} (blocked: not under ${siteRoot})`);
      request.abort('blockedbyclient');
      return;
    }
    request.continue();
  });
  page.on('requestfailed', (request) => {
    const url = request.url();
    if (seen.blockedUrls.has(url)) return;
    seen.failedUrls.add(url);
    fail('request failed', `${url} (${request.failure()?.errorText ?? 'failed'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      seen.failedUrls.add(response.url());
      fail('request failed', `${response.url()} (HTTP ${response.status()})`);
    }
  });
  page.on('console', (message) => {
    const where = message.location()?.url ?? '';
    const line = message.location()?.lineNumber;
    // Said by the axe-core this check injected (e.g. a stylesheet it could not read), not by the page.
    const ours = where.startsWith('pptr:');
    const at = ours ? ' (axe-core)' : where ? ` (${where}${line !== undefined ? `:${line + 1}` : ''})` : '';
    if (message.type() === 'error' || message.type() === 'assert') {
      seen.consoleErrors.push({ text: message.text(), url: where, at });
    } else if (message.type() === 'warn' || message.type() === 'warning') {
      seen.note(`console warning: ${message.text()}${at}`);
    }
  });
  page.on('pageerror', (error) => fail('page error', error.message ?? String(error)));
  page.on('error', (error) => fail('page crashed', error.message ?? String(error)));
  return seen;
}

// Chromium echoes each failed or blocked request as a console error; those are reported once,
// as the request.
function settleConsole(seen) {
  for (const { text, url, at } of seen.consoleErrors) {
    const echo =
      (text.startsWith('Failed to load resource') && seen.failedUrls.has(url)) ||
      [...seen.blockedUrls].some((blocked) => text.includes(blocked) || url === blocked);
    if (!echo) seen.fail('console error', `${text}${at}`);
  }
}

// Waits until every image has loaded or failed and fonts are ready, so screenshots show the page
// as a reader sees it and lazy images are requested (and checked) too.
async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const loaded = (img) =>
      new Promise((done) => {
        img.addEventListener('load', done, { once: true });
        img.addEventListener('error', done, { once: true });
      });
    const pending = [...document.images].filter((img) => !img.complete).map(loaded);
    await Promise.race([Promise.all(pending), new Promise((done) => setTimeout(done, 10_000))]);
  });
  await page.waitForNetworkIdle({ idleTime: 100, timeout: 5_000 }).catch(() => {});
}

async function sizeTo(page, width) {
  await page.setViewport({ width, height: 900 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  // The whole page in the viewport at once, so loading="lazy" images load before the checks.
  await page.setViewport({ width, height: Math.max(900, height) });
  await settle(page);
}

async function runAxe(page) {
  // Injected through the DevTools protocol, which a page's Content-Security-Policy does not block
  // (the web edition forbids scripts).
  await page.evaluate(axe.source);
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
}

// Collects axe violations into failures (serious/critical nodes) and notes (the rest), once per
// rule and element whatever the width it showed at.
function addAxeResults(seen, results, width, reported) {
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      const impact = node.impact ?? violation.impact ?? 'unknown';
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
      const key = `${violation.id}\u0000${target}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const text = `${violation.id} [${impact}] ${target} at ${width}px: ${violation.help} ${violation.helpUrl}`;
      if (FAILING_IMPACTS.has(impact)) seen.fail('axe', text);
      else seen.note(`axe ${text}`);
    }
  }
}

// Every run of text measured against the nearest box with a background under it (or the body):
// what the preflight of the PDF calls overflow. Text in a scroll region (a wide table) or a
// clipping box (text only for screen readers) is laid out so on purpose, and is skipped.
async function textOutOfBox(page) {
  return page.evaluate(() => {
    const painted = (s) => (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent') || s.backgroundImage !== 'none';
    const describe = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('svg, script, style, noscript, template')) continue;
      let box = null;
      for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') break;
        if (a === document.body || painted(s)) {
          box = a;
          break;
        }
      }
      if (!box) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const b = box.getBoundingClientRect();
      const out = Math.max(b.left - r.left, r.right - b.right);
      if (out > 1) found.push({ text: node.textContent.trim().slice(0, 60), box: describe(box), out: Math.round(out) });
    }
    return found;
  });
}

// The size each visible word of an inline SVG is drawn at: its font size in the picture's units
// times the picture's scale on the screen. Words in a collapsed disclosure are not drawn.
async function smallPictureText(page) {
  return page.evaluate((min) => {
    const found = [];
    for (const el of document.querySelectorAll('svg text')) {
      const r = el.getBoundingClientRect();
      const ctm = el.getScreenCTM();
      if (!ctm || r.width === 0 || !el.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(el).fontSize) * Math.hypot(ctm.a, ctm.b);
      if (px < min - 0.05) found.push({ text: el.textContent.trim().slice(0, 40), px: px.toFixed(1) });
    }
    return found;
  }, MIN_PICTURE_TEXT_PX);
}

async function checkPage(browser, siteRoot, relPage, shots, idsByFile) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  const seen = watchPage(page, siteRoot);
  const file = path.join(siteRoot, relPage);
  const reported = new Set();
  let links = [];
  try {
    await page.setViewport({ width: WIDTHS[0], height: 900 });
    const response = await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    if (response && response.status() >= 400) seen.fail('request failed', `the page itself: HTTP ${response.status()}`);
    for (const width of WIDTHS) {
      await sizeTo(page, width);
      if (width === REFLOW_WIDTH) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) {
          seen.fail('reflow', `the page scrolls sideways by ${overflow}px at ${width}px wide (WCAG 1.4.10)`);
        }
      }
      for (const { text, px } of await smallPictureText(page)) {
        seen.fail('small text', `"${text}" in a picture is drawn ${px}px high at ${width}px wide (at least ${MIN_PICTURE_TEXT_PX}px)`);
      }
      for (const { text, box, out } of await textOutOfBox(page)) {
        seen.fail('text out of its box', `"${text}" runs ${out}px out of ${box} at ${width}px wide`);
      }
      addAxeResults(seen, await runAxe(page), width, reported);
      if (shots) {
        // captureBeyondViewport would paint a right-to-left page laid out wider than the viewport
        // (Chromium 156): puppeteer instead sizes the viewport to the page for the shot.
        const file = path.join(shots, shotName(relPage, width));
        await page.screenshot({ path: file, fullPage: true, captureBeyondViewport: false });
      }
    }
    idsByFile.set(file, new Set(await page.$$eval('[id], a[name]', (els) => els.map((el) => el.id || el.getAttribute('name')))));
    links = await page.$$eval('a[href], area[href]', (els) => els.map((el) => ({ href: el.href, text: el.outerHTML.slice(0, 120) })));
  } catch (error) {
    seen.fail('page could not be checked', error.message);
  } finally {
    settleConsole(seen);
    await page.close();
  }
  return { page: relPage, file, ...seen, links };
}

// Links into the site must reach an existing file and, with a #fragment, an element of that id.
function checkLinks(results, idsByFile, siteRoot) {
  for (const result of results) {
    for (const { href, text } of result.links) {
      if (!href.startsWith('file:')) continue;
      const url = new URL(href);
      let target = fileURLToPath(url);
      // A link to a folder is served as its index.html.
      if (existsSync(target) && statSync(target).isDirectory()) target = path.join(target, 'index.html');
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (target !== siteRoot && !target.startsWith(siteRoot + path.sep)) {
        result.failures.push({ kind: 'broken link', text: `${href} leaves the site: ${text}` });
      } else if (!existsSync(target)) {
        result.failures.push({ kind: 'broken link', text: `${href} does not exist: ${text}` });
      } else if (fragment && idsByFile.has(target) && !idsByFile.get(target).has(fragment)) {
        result.failures.push({ kind: 'broken link', text: `${href}: no element with id "${fragment}": ${text}` });
      }
    }
  }
}

function report(results) {
  const kinds = new Map();
  for (const result of results) {
    const ok = result.failures.length === 0;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${result.page}`);
    for (const { kind, text } of result.failures) {
      console.log(`  ${kind}: ${text}`);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    for (const note of result.notes) console.log(`  note: ${note}`);
  }
  const failed = results.filter((r) => r.failures.length > 0).length;
  console.log(`\n${results.length} pages checked: ${results.length - failed} passed, ${failed} failed`);
  for (const [kind, count] of [...kinds].sort()) console.log(`  ${count} × ${kind}`);
  return failed;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`check.mjs: ${error.message}\n${USAGE}`);
    return 2;
  }
  const siteRoot = realpathSync(args.site);
  let pages = findPages(siteRoot);
  if (args.pages.length > 0) {
    const globs = args.pages.map(globToRegExp);
    pages = pages.filter((p) => globs.some((g) => g.test(p)));
  }
  if (pages.length === 0) {
    const which = args.pages.length > 0 ? ` matching ${args.pages.join(' ')}` : '';
    console.error(`check.mjs: no *.html${which} under ${args.site}`);
    return 2;
  }
  if (args.shots) mkdirSync(args.shots, { recursive: true });

  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`check.mjs: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);
    return 2;
  }
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: [
        // Chromium's sandbox cannot start as root (a CI container); the pages are our own files.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-dev-shm-usage',
        // Hermetic: no name is ever resolved, no background service phones home.
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-default-apps',
        '--disable-sync',
        '--no-first-run',
        '--no-default-browser-check',
        '--font-render-hinting=none',
        // The site's files are one origin, as when served over HTTP: without this every file:// page
        // has an opaque origin, its own stylesheets are cross-origin and axe cannot read them (the
        // CSSOM its css-orientation-lock rule needs).
        '--allow-file-access-from-files',
      ],
    });
  } catch (error) {
    console.error(`check.mjs: Chromium at ${executablePath} would not start: ${error.message}`);
    return 2;
  }
  const version = await browser.version();
  const puppeteerVersion = JSON.parse(readFileSync(require.resolve('puppeteer-core/package.json'), 'utf8')).version;
  console.log(`${version}, puppeteer-core ${puppeteerVersion}, axe-core ${axe.version} (${AXE_TAGS.join(', ')})`);
  console.log(`${pages.length} pages under ${args.site}${args.shots ? `, screenshots in ${args.shots}` : ''}\n`);

  const results = [];
  const idsByFile = new Map();
  try {
    for (const relPage of pages) results.push(await checkPage(browser, siteRoot, relPage, args.shots, idsByFile));
  } finally {
    await browser.close();
  }
  checkLinks(results, idsByFile, siteRoot);
  return report(results) > 0 ? 1 : 0;
}

process.exitCode = await main();
