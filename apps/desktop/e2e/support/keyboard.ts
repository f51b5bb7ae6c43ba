import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** What the focused element is called for a keyboard user, and whether its focus can be seen. */
interface Focused {
  name: string;
  tag: string;
  visible: boolean;
}

function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null || element === document.body) return null;
    const labelled = element.getAttribute('aria-labelledby');
    const name =
      element.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      (element as HTMLInputElement).labels?.[0]?.textContent ??
      element.textContent ??
      '';
    const style = getComputedStyle(element);
    // A focus ring of at least 2px: a field's border changing colour alone is too easy to miss.
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return {
      name: name.replace(/\s+/g, ' ').replace(/\*$/, '').trim(),
      tag: element.tagName,
      visible: ring,
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the element named `name` has the focus, as a keyboard user moves
 * through the screen; fails when it cannot be reached within `max` presses or its focus is not visible.
 */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  options: { back?: boolean; max?: number } = {},
): Promise<void> {
  const seen: string[] = [];
  for (let press = 0; press < (options.max ?? 60); press += 1) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now === null) continue;
    seen.push(now.name);
    const match = typeof name === 'string' ? now.name.startsWith(name) : name.test(now.name);
    if (match) {
      // Judged once the focus style has transitioned in.
      await expect
        .poll(async () => (await focused(page))?.visible, {
          message: `the focus on "${now.name}" (${now.tag}) is visible`,
          timeout: 1000,
        })
        .toBe(true);
      return;
    }
  }
  throw new Error(`"${String(name)}" was not reached with the keyboard; the focus went: ${seen.join(' › ')}`);
}

/** Chooses an option of the focused Mantine select by keyboard: open, move to it, confirm. */
export async function chooseWithKeys(page: Page, option: string): Promise<void> {
  await page.keyboard.press('ArrowDown');
  for (let press = 0; press < 30; press += 1) {
    const selected = await page
      .locator('[role="option"][data-combobox-selected]')
      .first()
      .textContent()
      .catch(() => null);
    if (selected?.trim() === option) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the option "${option}" was not reached with the arrow keys`);
}
