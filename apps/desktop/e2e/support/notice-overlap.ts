import type { Page } from 'playwright-core';

/**
 * What a notice covers on the page: the text of every heading (h1-h3) and action (button, link) of the
 * screen whose box intersects the box of the notice holding `noticeText`. Empty when it covers none; the
 * notice's own close button and the navigation are not counted.
 */
export async function coveredByNotice(page: Page, noticeText: string): Promise<string[]> {
  const notice = page.locator('.mantine-Notification-root').filter({ hasText: noticeText }).first();
  await notice.waitFor();
  // Wait until it has slid in: its box then stays where it is.
  let box = await notice.boundingBox();
  for (let tries = 0; tries < 20; tries++) {
    await page.waitForTimeout(50);
    const next = await notice.boundingBox();
    if (box !== null && next !== null && next.x === box.x && next.y === box.y) break;
    box = next;
  }
  if (box === null) throw new Error(`The notice "${noticeText}" has no box on the page`);
  return page
    .locator('main')
    .locator('h1, h2, h3, button, a')
    .evaluateAll((nodes, notice) => {
      return nodes
        .filter((node) => {
          const r = node.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) return false;
          return (
            r.left < notice.x + notice.width &&
            r.right > notice.x &&
            r.top < notice.y + notice.height &&
            r.bottom > notice.y
          );
        })
        .map((node) => `${node.tagName.toLowerCase()}: ${node.textContent?.trim() ?? ''}`);
    }, box);
}
