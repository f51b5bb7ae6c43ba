import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 840 } as const;

/**
 * Reads the saved window state; a missing or unreadable file gives undefined (the app opens centred).
 *
 * @example
 * const saved = readWindowState(join(userData, 'window-state.json'));
 */
export function readWindowState(file: string): WindowState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A damaged state file only costs the window position; the next close rewrites it.
    return undefined;
  }
}

/**
 * Writes the window state atomically (temporary file, then rename).
 *
 * @example
 * writeWindowState(file, { ...window.getNormalBounds(), maximized: window.isMaximized() });
 */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/**
 * Keeps a saved window only if most of its title bar lies on a display that still exists (a monitor may
 * have been unplugged since); else undefined, and the window opens centred on the primary display.
 *
 * @example
 * const bounds = visibleWindowState(saved, screen.getAllDisplays().map((d) => d.workArea));
 */
export function visibleWindowState(
  state: WindowState | undefined,
  workAreas: Rectangle[],
): WindowState | undefined {
  if (!state) return undefined;
  const titleBar = { x: state.x, y: state.y, width: state.width, height: 40 };
  const visible = workAreas.some(
    (area) => overlapArea(titleBar, area) >= (titleBar.width * titleBar.height) / 2,
  );
  return visible ? state : undefined;
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}
