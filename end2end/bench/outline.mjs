// How fast the outline editor answers on the largest lens (lens/tests/fixtures/valid-large.json,
// 470 KB: 10 pillars, 200 questions, 3,000 choices), in Chromium, hydrated. Run on demand, not in
// CI: build as for the browser tests, then
//   LENSGATE_BIN=… LENSGATE_SITE_ROOT=… node end2end/bench/outline.mjs
// Each figure is from the user's action to the next painted frame that shows its effect.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { launchBrowser, ready, signIn, startServer } from '../tests/harness.mjs';

const ROUNDS = 30;
const LARGE = readFileSync(path.resolve('lens/tests/fixtures/valid-large.json'), 'utf8');

function summary(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { name, runs: samples.length, p50: at(0.5).toFixed(1), p95: at(0.95).toFixed(1), max: sorted.at(-1).toFixed(1) };
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const mode = { name: 'hydrated', javaScriptEnabled: true };
  const page = await (await browser.newContext()).newPage();
  await signIn(page, mode, server.url);
  await page.goto(`${server.url}/lenses/new`);
  await ready(page, mode);
  await page.getByLabel('Lens source').fill(LARGE);
  await page.getByTestId('problem-summary').filter({ hasText: 'can be imported' }).waitFor({ timeout: 60_000 });

  // Opening the outline: from the click to the painted tree.
  const opening = [];
  for (let i = 0; i < 10; i += 1) {
    await page.getByRole('tab', { name: 'JSON' }).click();
    opening.push(await page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const deadline = performance.now() + 60_000;
      const waiting = () => { if (performance.now() > deadline) throw new Error('no answer within 60 s'); return frame(); };
      const tab = [...document.querySelectorAll('[role="tab"]')].find((t) => t.textContent === 'Outline');
      const start = performance.now();
      tab.click();
      while (!document.querySelector('nav.outline-tree button.node')) await waiting();
      await frame();
      return performance.now() - start;
    }));
  }

  console.error('opened the outline', opening.length, 'times');
  // Typing in a question's title: from the keystroke to the tree showing the new title.
  await page.locator('nav.outline-tree button.node').filter({ hasText: /./ }).nth(120).click();
  await page.locator('.outline-form h3').filter({ hasText: 'Question' }).waitFor();
  // Timed in the page: from the input event to the mutation of the tree that shows the title.
  await page.evaluate(() => {
    const input = document.querySelector('.outline-form input[data-path$=".title"]');
    input.addEventListener('input', () => { window.benchStart = performance.now(); }, true);
    new MutationObserver(() => {
      const shown = [...document.querySelectorAll('nav.outline-tree button.node')].some((b) => b.textContent === window.benchTitle);
      if (shown && window.benchDone === undefined) window.benchDone = performance.now();
    }).observe(document.querySelector('nav.outline-tree'), { subtree: true, childList: true, characterData: true });
  });
  const title = page.locator('.outline-form input[data-path$=".title"]');
  const typing = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const text = `Edited question title ${i}`;
    await page.evaluate((t) => { window.benchTitle = t; window.benchDone = undefined; }, text);
    await title.fill(text);
    await page.waitForFunction(() => window.benchDone !== undefined, null, { timeout: 60_000 });
    typing.push(await page.evaluate(() => window.benchDone - window.benchStart));
  }
  console.error('typed', typing.length, 'titles');
  // A structural edit: duplicating the question, then removing the copy.
  const structural = await page.evaluate(async (rounds) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const deadline = performance.now() + 60_000;
      const waiting = () => { if (performance.now() > deadline) throw new Error('no answer within 60 s'); return frame(); };
    const count = () => document.querySelectorAll('nav.outline-tree button.node').length;
    const button = (action) => document.querySelector(`.outline-form [data-action="${action}"]`);
    const samples = [];
    for (let i = 0; i < rounds / 2; i += 1) {
      for (const action of ['duplicate', 'remove']) {
        const before = count();
        const start = performance.now();
        button(action).click();
        while (count() === before) await waiting();
        samples.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return samples;
  }, ROUNDS);

  console.table([
    summary('open the outline (ms)', opening),
    summary('type in a title (ms)', typing),
    summary('duplicate or remove a question (ms)', structural),
  ]);
} finally {
  await browser.close();
  await server.stop();
}
