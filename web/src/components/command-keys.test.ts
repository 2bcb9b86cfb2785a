import { describe, expect, it } from 'vitest';
import { COMMAND_KEYS, EDIT_KEYS, matchesKey } from './command-keys.ts';
import { displayKey } from './shortcut-sheet.ts';

const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('command-mode keys', () => {
  it('match exactly their modifiers, Mod being Ctrl or Cmd', () => {
    expect(matchesKey('Shift+M', press('M', { shift: true }))).toBe(true);
    expect(matchesKey('M', press('M', { shift: true }))).toBe(false);
    expect(matchesKey('Mod+Z', press('z', { ctrl: true }))).toBe(true);
    expect(matchesKey('Mod+Z', press('z', { meta: true }))).toBe(true);
    expect(matchesKey('Z', press('z', { ctrl: true }))).toBe(false);
    expect(matchesKey('Mod+Shift+ArrowUp', press('ArrowUp', { ctrl: true, shift: true }))).toBe(true);
    expect(matchesKey('Shift+ArrowUp', press('ArrowUp', { ctrl: true, shift: true }))).toBe(false);
  });

  it('give every key to one command only', () => {
    const all = COMMAND_KEYS.flatMap((binding) => binding.keys.map((key) => key.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
  });

  it("list the editor's keys from its keymap, in the sheet's notation", () => {
    expect(EDIT_KEYS.find((binding) => binding.description.startsWith('Split'))?.keys).toEqual(['Ctrl+Shift+-']);
    expect(EDIT_KEYS.find((binding) => binding.description === 'Run the cell')?.keys).toEqual(['Mod+Enter', 'Ctrl+Enter']);
  });

  it('read Cmd on macOS and Ctrl elsewhere', () => {
    expect(displayKey('Mod+Shift+Z', true)).toBe('Cmd+Shift+Z');
    expect(displayKey('Mod+Enter', false)).toBe('Ctrl+Enter');
    expect(displayKey('Shift+M', true)).toBe('Shift+M');
  });
});
