import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWindowState, visibleWindowState, writeWindowState } from './window-state.js';

describe('window state', () => {
  it('reopens where it was closed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'window-')), 'window-state.json');
    writeWindowState(file, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
  });

  it('ignores a damaged or missing state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'window-'));
    writeFileSync(join(dir, 'bad.json'), '{"x": "left"');
    expect(readWindowState(join(dir, 'bad.json'))).toBeUndefined();
    expect(readWindowState(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('drops a position on a monitor that is no longer there', () => {
    const state = { x: 2500, y: 100, width: 1200, height: 800, maximized: false };
    const laptopOnly = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const withSecondScreen = [...laptopOnly, { x: 1920, y: 0, width: 2560, height: 1440 }];
    expect(visibleWindowState(state, laptopOnly)).toBeUndefined();
    expect(visibleWindowState(state, withSecondScreen)).toEqual(state);
  });
});
