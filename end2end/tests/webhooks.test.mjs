// The Admin page's webhooks, with and without JavaScript: an endpoint is added with its events,
// a review submitted reaches a local receiver signed with the secret, and the delivery is listed
// with the receiver's answer; removing the endpoint takes it off the page.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');
const SECRET = 'the receiver knows this secret';

const env = serverAndBrowser();
const received = [];
let receiver;
let receiverUrl;

before(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('received');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
});

after(() => new Promise((resolve) => receiver.close(resolve)));

async function press(page, mode, button) {
  if (mode.javaScriptEnabled) await button.click();
  else await Promise.all([page.waitForLoadState('load'), button.click()]);
}

for (const mode of MODES) {
  describe(`webhooks (${mode.name})`, () => {
    it('adds an endpoint, delivers a signed event to it, lists the delivery and removes it', async () => {
      const url = `${receiverUrl}/${mode.name}`;
      await withPage(env.browser, mode, 'webhooks', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/admin`);
        await ready(page, mode);
        await page.getByLabel('Address').fill(url);
        await page.getByLabel('Secret', { exact: true }).fill(SECRET);
        assert.equal(await page.getByLabel('Review submitted').isChecked(), true);
        assert.equal(await page.getByLabel('Change failed').isChecked(), false);
        await press(page, mode, page.getByRole('button', { name: 'Add webhook' }));
        const card = page.locator(`article[data-webhook="${url}"]`);
        await card.waitFor();
        assert.match(await card.textContent(), /Review submitted, Decision made, Version published, Share created/);

        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', `Hooked ${mode.name}`), 'request[lens_arn]': '', 'request[tags]': '' })).json();
        await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note: 'hook test' });

        const deadline = Date.now() + 20_000;
        let delivery;
        while (!(delivery = received.find((r) => r.headers['x-lensgate-event'] === 'review.submitted' && JSON.parse(r.body).target === imported.lens_arn))) {
          assert.ok(Date.now() < deadline, 'the receiver got the event');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const [, t, v1] = delivery.headers['x-lensgate-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
        assert.equal(createHmac('sha256', SECRET).update(`${t}.${delivery.body}`).digest('hex'), v1);

        await page.reload();
        await ready(page, mode);
        const row = card.locator('tr[data-state="delivered"]');
        await row.waitFor();
        assert.match(await row.textContent(), /review\.submitted.*delivered.*1.*200 received/s);

        await press(page, mode, card.getByRole('button', { name: `Remove the webhook to ${url}` }));
        await page.locator(`article[data-webhook="${url}"]`).waitFor({ state: 'detached' });
      });
    });
  });
}
