// What each role is offered, with and without JavaScript: an author sees no administration,
// follows their own submissions on Reviews, is told who creates workloads, and is not offered
// a share form for a lens with no published version; the only administrator cannot be
// disabled from the page. Also the small things a careful user notices: filter addresses,
// download names, and a preview that says why it is empty.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const PASSWORD = 'a long enough password';
const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');

const env = serverAndBrowser();

const navLinks = (page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

for (const mode of MODES) {
  describe(`what each role is offered (${mode.name})`, () => {
    it('offers an author what an author can do, and says why the rest is not there', async () => {
      const author = `roles-author-${mode.name}`;
      const name = `Author's own lens ${mode.name}`;
      await withPage(env.browser, mode, 'roles-admin', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
        const row = page.locator(`tr[data-user="admin"]`);
        assert.match(await row.textContent(), /Active \(the only administrator\)/);
        assert.equal(await row.getByRole('button', { name: 'Disable' }).count(), 0);
        assert.equal(await row.getByRole('button', { name: 'Save role' }).count(), 0);
        assert.equal(await page.locator(`tr[data-user="${author}"]`).getByRole('button', { name: 'Disable' }).count(), 1);
      });
      await withPage(env.browser, mode, 'roles-author', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        assert.deepEqual(await navLinks(page), ['Lenses', 'Reviews', 'Workloads', 'Invitations', 'Grants', 'Audit']);

        await page.goto(`${env.server.url}/workloads`);
        await ready(page, mode);
        assert.equal(await page.getByRole('link', { name: 'New workload' }).count(), 0);
        await page.goto(`${env.server.url}/workloads/new`);
        await ready(page, mode);
        assert.match(await page.getByTestId('admins-only').textContent(), /Only administrators create workloads/);
        assert.equal(await page.getByRole('button', { name: 'Create workload' }).count(), 0);

        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', name), 'request[lens_arn]': '', 'request[tags]': '' })).json();
        await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note: 'mine' });

        await page.goto(`${env.server.url}/lenses/detail?arn=${encodeURIComponent(imported.lens_arn)}`);
        await ready(page, mode);
        assert.match(await page.getByTestId('share-unavailable').textContent(), /AWS shares published lenses only/);
        assert.equal(await page.getByRole('button', { name: 'Share', exact: true }).count(), 0);

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
        // Hydrated, the link navigates in the page: the marker `ready` waits for is already set,
        // and the Reviews page's part may still be loading. Its heading says when it is there.
        await page.getByRole('heading', { level: 1, name: 'Your submissions', exact: true }).waitFor();
        const row = page.getByTestId('reviews').locator('tr').filter({ hasText: name });
        await row.waitFor();
        assert.match(await row.textContent(), new RegExp(author));
      });
    });

    it('offers a viewer reading only', async () => {
      const viewer = `roles-viewer-${mode.name}`;
      await withPage(env.browser, mode, 'roles-viewer-created', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, viewer, 'viewer');
      });
      await withPage(env.browser, mode, 'roles-viewer', async (page) => {
        await signIn(page, mode, env.server.url, viewer, PASSWORD);
        assert.deepEqual(await navLinks(page), ['Lenses', 'Workloads', 'Invitations', 'Grants', 'Audit']);
        await page.goto(`${env.server.url}/lenses`);
        await ready(page, mode);
        await page.getByTestId('lenses').waitFor();
        assert.equal(await page.getByRole('link', { name: 'New lens' }).count(), 0);
      });
    });

    it('keeps filter addresses clean and names downloads after the lens', async () => {
      await withPage(env.browser, mode, 'roles-small-things', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/lenses`);
        await ready(page, mode);
        await page.getByLabel(/^Name contains/).fill('well');
        await Promise.all([page.waitForURL(/q=well/), page.getByRole('button', { name: 'Filter' }).click()]);
        assert.equal(new URL(page.url()).search, '?kind=&q=well');

        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const name = `Downloaded lens ${mode.name}`;
        const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', name), 'request[lens_arn]': '', 'request[tags]': '' })).json();
        await page.goto(`${env.server.url}/lenses/detail?arn=${encodeURIComponent(imported.lens_arn)}`);
        await ready(page, mode);
        for (const format of ['json', 'yaml']) {
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: `Download the draft as ${format.toUpperCase()}` }).click(),
          ]);
          assert.equal(download.suggestedFilename(), `downloaded-lens-${mode.name}-draft.${format}`);
          assert.equal(await download.failure(), null);
        }
        const [workbook] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Questionnaire of the draft as an XLSX workbook' }).click(),
        ]);
        assert.equal(workbook.suggestedFilename(), `downloaded-lens-${mode.name}-draft-questionnaire.xlsx`);
        assert.equal(await workbook.failure(), null);
        const print = await page.getByRole('link', { name: 'Questionnaire of the draft to print' }).getAttribute('href');
        await page.goto(`${env.server.url}${print}`);
        assert.equal(await page.locator('h1').textContent(), name);
        assert.equal(await page.locator('.question').count(), 2);
        const box = await page.locator('.box').first().evaluate((el) => getComputedStyle(el).borderTopStyle);
        assert.equal(box, 'solid', 'the stylesheet applies under the page\'s content security policy');
      });
    });
  });
}

describe('the editor preview (hydrated)', () => {
  it('says why there is nothing to preview and leads to the error', async () => {
    await withPage(env.browser, MODES[0], 'preview-unavailable', async (page) => {
      await signIn(page, MODES[0], env.server.url);
      await page.goto(`${env.server.url}/lenses/new`);
      await ready(page, MODES[0]);
      await page.getByLabel('Lens source').fill('{\n  "schemaVersion": "2021-11-01",\n  "name": NaN\n}');
      await page.getByTestId('problem-summary').filter({ hasText: '1 error' }).waitFor();
      const fix = page.getByTestId('problems').locator('li.error .fix');
      assert.equal(await fix.textContent(), 'Every value of a lens is text: write it in double quotes, or remove the member.');
      assert.equal(await page.getByTestId('problems').locator('li.error .message code').first().textContent(), 'NaN');
      await page.getByRole('tab', { name: 'Preview' }).click();
      const notice = page.getByTestId('preview-unavailable');
      assert.match(await notice.textContent(), /The preview needs JSON that reads as a lens/);
      assert.match(await notice.textContent(), /NaN is not a JSON value/);
      await notice.getByRole('button', { name: 'Show line 3, column 11' }).click();
      assert.equal(await page.getByLabel('Lens source').isVisible(), true);
    });
  });
});
