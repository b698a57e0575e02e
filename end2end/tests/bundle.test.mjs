import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();
const hydrated = MODES.find((m) => m.javaScriptEnabled);

/// Every page, each in a fresh browser context (nothing cached), as a first visit: the main
/// module and the page's own parts of the bundle must all load, and the page must hydrate.
const PAGES = [
  ['/', false],
  ['/account', true],
  ['/lenses', true],
  ['/lenses/new', true],
  ['/lenses/detail?arn=arn:aws:wellarchitected:us-east-1:111122223333:lens/missing', true],
  ['/lenses/compare?arn=arn:aws:wellarchitected:us-east-1:111122223333:lens/missing', true],
  ['/reviews', true],
  ['/reviews/detail?id=1', true],
  ['/workloads', true],
  ['/workloads/new', true],
  ['/workloads/detail?id=0123456789abcdef0123456789abcdef', true],
  ['/invitations', true],
  ['/grants', true],
  ['/grants/detail?arn=arn:aws:license-manager::111122223333:grant:g-missing', true],
  ['/audit', true],
  ['/audit/event?seq=1', true],
  ['/admin', true],
];

describe('the split bundle (hydrated)', () => {
  for (const [address, lazy] of PAGES) {
    it(`loads every part of ${address.split('?')[0]} on a first visit`, async () => {
      await withPage(env.browser, hydrated, `bundle ${address}`, async (page, consoleErrors) => {
        await signIn(page, hydrated, env.server.url);
        const failed = [];
        const parts = [];
        page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
        page.on('response', (r) => {
          if (!r.url().includes('/pkg/')) return;
          if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
          if (/\/pkg\/(split_|chunk_)/.test(r.url())) parts.push(r.url());
        });
        await page.goto(`${env.server.url}${address}`);
        await ready(page, hydrated);
        assert.deepEqual(failed, []);
        assert.deepEqual(consoleErrors, []);
        if (lazy) {
          assert.ok(parts.some((url) => url.includes('/pkg/split_')), `${address} loads its own part`);
        } else {
          assert.deepEqual(parts, [], `${address} is in the main module`);
        }
      });
    });
  }
});
