// Lens intelligence in the editor, with and without JavaScript: a character ImportLens refuses
// is named and replaced in one action, every answer's risk is tabled in the preview, and with
// JavaScript a try-it panel scores a ticked answer in the browser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');

const env = serverAndBrowser();

async function check(page, mode, text) {
  await page.getByLabel('Lens source').fill(text);
  if (!mode.javaScriptEnabled) {
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Check' }).click()]);
  }
}

for (const mode of MODES) {
  describe(`lens intelligence (${mode.name})`, () => {
    it('names a refused character and replaces all of them in one action', async () => {
      await withPage(env.browser, mode, 'replace-all', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/lenses/new`);
        await ready(page, mode);
        const broken = LENS.replace('Serverless API review', 'Serverless API review; 99% ready')
          .replace('How do you deploy changes?', 'How do you deploy changes <safely>?');
        await check(page, mode, broken);
        await page.getByTestId('problem-summary').filter({ hasText: '2 errors' }).waitFor();
        const first = page.getByTestId('problems').locator('li[data-rule="restricted-character"]').first();
        assert.match(await first.textContent(), /contains the character ;\s*at character 22/);
        const replace = page.getByTestId('replace-all');
        if (mode.javaScriptEnabled) await replace.click();
        else await Promise.all([page.waitForLoadState('load'), replace.click()]);
        await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
        const text = await page.getByLabel('Lens source').inputValue();
        assert.match(text, /"name": "Serverless API review, 99 percent ready"/);
        assert.match(text, /"title": "How do you deploy changes less than safely more than\?"/);
        assert.equal(text.length - broken.length, 'Serverless API review, 99 percent ready'.length - 'Serverless API review; 99% ready'.length
          + 'How do you deploy changes less than safely more than?'.length - 'How do you deploy changes <safely>?'.length, 'nothing else changed');
      });
    });

    it('tables every answer of a question by its risk', async () => {
      await withPage(env.browser, mode, 'risk-table', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/lenses/new`);
        await ready(page, mode);
        await check(page, mode, LENS);
        await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
        if (mode.javaScriptEnabled) await page.getByRole('tab', { name: 'Preview' }).click();
        const table = page.getByTestId('risk-table').first();
        await table.waitFor();
        const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
        assert.deepEqual(rows, [
          ['High risk', '2', 'nothing selected'],
          ['Medium risk', '4', '“Every change goes through a pipeline”'],
          ['No risk', '2', '“Every change goes through a pipeline” + “Deployments roll back automatically on alarms”'],
        ]);
        if (!mode.javaScriptEnabled) {
          assert.equal(await page.getByTestId('try-it').count(), 0, 'the panel needs the page to run');
          return;
        }
        const panel = page.getByTestId('try-it').first();
        const risk = panel.getByTestId('try-it-risk');
        assert.match(await risk.textContent(), /High risk/);
        await panel.getByLabel('Every change goes through a pipeline').check();
        await risk.filter({ hasText: 'Medium risk' }).waitFor();
        await panel.getByLabel('Deployments roll back automatically on alarms').check();
        await risk.filter({ hasText: 'No risk' }).waitFor();
        await panel.getByLabel('None of these').check();
        await risk.filter({ hasText: 'No risk' }).waitFor();
      });
    });
  });
}
