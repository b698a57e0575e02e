// Comments on a question, with and without JavaScript: the reviewer comments on a choice from
// the form under its question, the author finds the comment beside that question and in the
// list at the top, and resolves it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, createUser, importAndSubmit, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');
const PASSWORD = 'a long enough password';
const QUESTION = '#question-sec-sec_secrets';

const env = serverAndBrowser();

/// Submits a form's button and, without JavaScript, waits for the page the server sends back.
async function press(page, mode, button) {
  if (mode.javaScriptEnabled) {
    await button.click();
  } else {
    await Promise.all([page.waitForLoadState('load'), button.click()]);
  }
}

for (const mode of MODES) {
  describe(`review comments (${mode.name})`, () => {
    it('goes from the reviewer to the author beside the question and is resolved', async () => {
      const author = `comment-author-${mode.name}`;
      const reviewer = `comment-reviewer-${mode.name}`;
      await withPage(env.browser, mode, 'comment-users', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
        await createUser(page, mode, env.server.url, reviewer, 'reviewer');
      });
      let review;
      await withPage(env.browser, mode, 'comment-submit', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        ({ review } = await importAndSubmit(page, env.server.url, LENS.replace('Serverless API review', `Comments ${mode.name}`)));
      });
      const reviewUrl = `${env.server.url}/reviews/detail?id=${review}`;

      await withPage(env.browser, mode, 'comment-reviewer', async (page) => {
        await signIn(page, mode, env.server.url, reviewer, PASSWORD);
        await page.goto(reviewUrl);
        await ready(page, mode);
        const question = page.locator(QUESTION);
        await question.getByText('Comment on this question').click();
        await question.getByLabel('About').selectOption({ label: 'Choice “Secrets rotate on a schedule”' });
        await question.getByLabel('Your comment').fill('How often do they rotate?');
        await press(page, mode, question.getByRole('button', { name: 'Add comment' }));
        const shown = page.locator(QUESTION).getByTestId('place-comments');
        await shown.waitFor();
        assert.match(await shown.textContent(), /on Choice “Secrets rotate on a schedule” of question .*How often do they rotate\?/);
        assert.match(await page.getByTestId('comments').textContent(), /Comments: 1 of 1 open/);
        assert.equal(await page.locator(QUESTION).getByRole('button', { name: 'Resolve' }).count(), 0, 'only the author resolves');
      });

      await withPage(env.browser, mode, 'comment-author', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        await page.goto(reviewUrl);
        await ready(page, mode);
        const list = page.getByTestId('comments');
        assert.match(await list.textContent(), /Choice “Secrets rotate on a schedule” of question .*: comment-reviewer-[a-z-]+, open/);
        assert.equal(await page.locator(QUESTION).getByText('Comment on this question').count(), 0, 'an author does not comment');
        await press(page, mode, page.locator(QUESTION).getByRole('button', { name: 'Resolve' }));
        await page.getByTestId('comments').filter({ hasText: 'Comments: all 1 resolved' }).waitFor();
        assert.match(await page.locator(QUESTION).getByTestId('place-comments').textContent(), new RegExp(`Resolved by ${author}`));
      });
    });
  });
}
