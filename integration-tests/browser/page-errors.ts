// Every page error and console error of a browser page, so that a test fails on any of them.
import type { BrowserContext, Page } from 'playwright-core';

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

/**
 * Registers the hooks of a suite that opens one page per test: a fresh page with the suite's timeout before each
 * test, and after it the page closed and the test failed on any page or console error it did not declare with
 * `expectError` (Chromium logs every failed request as a console error, so a test that causes one says so).
 */
export function pagePerTest(context: () => BrowserContext, timeoutMs: number) {
  let page: Page | undefined;
  let errors: string[] = [];
  let expected: RegExp[] = [];
  beforeEach(async () => {
    page = await context().newPage();
    page.setDefaultTimeout(timeoutMs);
    errors = collectErrors(page);
    expected = [];
  });
  afterEach(async () => {
    await page?.close();
    expect(errors.filter((e) => !expected.some((x) => x.test(e)))).toEqual([]);
  });
  return {
    page: (): Page => {
      if (!page) throw new Error('pagePerTest: no page outside a test');
      return page;
    },
    expectError: (pattern: RegExp): void => void expected.push(pattern),
  };
}
