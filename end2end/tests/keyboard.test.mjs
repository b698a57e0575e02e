// The whole path from a lens file to a published version with the keyboard alone, in both
// modes: every control on the way is reached with Tab and operated with Enter or Space.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const PASSWORD = 'a long enough password';
const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');
/// More Tabs than any page here has stops: a control not reached by then is not reachable.
const MAX_TABS = 300;

const env = serverAndBrowser();

/// Presses Tab until the focused element's name matches `name`; fails if it never does.
async function tabTo(page, name) {
  const passed = [];
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '';
      return label.replace(/\s+/g, ' ').trim();
    });
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
    passed.push(focused);
  }
  assert.fail(`${name} was not reached with ${MAX_TABS} presses of Tab; passed ${[...new Set(passed)].slice(0, 40).join(' | ')}`);
}

/// Presses `key` on the focused control; without JavaScript, waits for the page sent back.
async function activate(page, mode, key = 'Enter') {
  if (mode.javaScriptEnabled) await page.keyboard.press(key);
  else await Promise.all([page.waitForLoadState('load'), page.keyboard.press(key)]);
}

for (const mode of MODES) {
  describe(`keyboard only (${mode.name})`, () => {
    it('imports, submits, approves and publishes with the keyboard alone', async () => {
      const author = `keys-author-${mode.name}`;
      const reviewer = `keys-reviewer-${mode.name}`;
      const name = `Keyboard lens ${mode.name}`;
      await withPage(env.browser, mode, 'keys-users', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
        await createUser(page, mode, env.server.url, reviewer, 'reviewer');
      });
      await withPage(env.browser, mode, 'keys-author', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        await page.goto(`${env.server.url}/lenses/new`);
        await ready(page, mode);
        await tabTo(page, /^Lens source/);
        await page.keyboard.insertText(LENS.replace('Serverless API review', name));
        if (mode.javaScriptEnabled) await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
        await tabTo(page, 'Import');
        if (mode.javaScriptEnabled) {
          await page.keyboard.press('Enter');
          await page.getByTestId('import-result').waitFor();
          await tabTo(page, 'Open the lens');
          await Promise.all([page.waitForURL(/\/lenses\/detail\?arn=/), page.keyboard.press('Enter')]);
        } else {
          await Promise.all([page.waitForURL(/\/lenses\/detail\?arn=/), page.keyboard.press('Enter')]);
        }
        await page.getByTestId('lens-name').waitFor();
        await ready(page, mode);
        await tabTo(page, 'Note for the reviewers');
        await page.keyboard.type('Ready for a look.');
        await tabTo(page, 'Submit for review');
        await activate(page, mode);
        await page.getByTestId('submit-result').waitFor();
      });
      await withPage(env.browser, mode, 'keys-reviewer', async (page) => {
        await signIn(page, mode, env.server.url, reviewer, PASSWORD);
        await page.goto(`${env.server.url}/reviews`);
        await ready(page, mode);
        await tabTo(page, /^Review \d+$/);
        await Promise.all([page.waitForURL(/\/reviews\/detail\?id=/), page.keyboard.press('Enter')]);
        await ready(page, mode);
        assert.match(await page.getByRole('heading', { level: 1 }).textContent(), new RegExp(name));
        await tabTo(page, 'Comment');
        await page.keyboard.type('Reads well.');
        await tabTo(page, 'Approve');
        await activate(page, mode);
        await page.getByTestId('review-state').filter({ hasText: 'Approved, ready to publish' }).waitFor();
        await tabTo(page, 'Version name');
        await page.keyboard.type('1.0');
        await tabTo(page, /^Major:/);
        await page.keyboard.press('Space');
        await tabTo(page, 'Publish version');
        await activate(page, mode);
        await page.getByTestId('review-state').filter({ hasText: 'Published' }).waitFor();
      });
    });
  });
}
