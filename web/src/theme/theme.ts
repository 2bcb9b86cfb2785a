/**
 * Light or dark: the person's choice (light, dark, or follow the system), kept in localStorage, and the theme it
 * resolves to. The resolved theme is set on `<html data-theme>`, where the CSS variables of styles.css switch;
 * what CSS can't reach (sandboxed HTML frames, charts drawn on canvas) reads `resolvedTheme()`.
 * One instance for the page: every tab of the app follows a change of the system's scheme at once.
 */
import { createRenderEffect, createRoot, createSignal, type Accessor } from 'solid-js';

export type ThemeChoice = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

const KEY = 'cellmate.theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['light', 'dark', 'system'];

export const isThemeChoice = (value: unknown): value is ThemeChoice => THEME_CHOICES.some((choice) => choice === value);

/** The theme a choice gives when the system prefers dark (`systemIsDark`) or not. */
export function resolveTheme(choice: ThemeChoice, systemIsDark: boolean): Theme {
  if (choice === 'system') return systemIsDark ? 'dark' : 'light';
  return choice;
}

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(KEY);
    if (isThemeChoice(stored)) return stored;
  } catch {
    // Storage refused: follow the system.
  }
  return 'system';
}

interface ThemeState {
  choice: Accessor<ThemeChoice>;
  resolved: Accessor<Theme>;
  setChoice(choice: ThemeChoice): void;
}

function createThemeState(): ThemeState {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const [systemIsDark, setSystemIsDark] = createSignal(query.matches);
  query.addEventListener('change', (event) => setSystemIsDark(event.matches));
  const [choice, setChoiceSignal] = createSignal(readChoice());
  // Another tab changed the choice: follow it, as the system's own setting is followed.
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) setChoiceSignal(isThemeChoice(event.newValue) ? event.newValue : 'system');
  });
  return {
    choice,
    resolved: () => resolveTheme(choice(), systemIsDark()),
    setChoice(next) {
      setChoiceSignal(next);
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // Storage refused: the choice lasts for this page.
      }
    },
  };
}

let state: ThemeState | undefined;

/** The page's theme (created on first use, for the page's lifetime). */
export function useTheme(): ThemeState {
  state ??= createRoot(createThemeState);
  return state;
}

/** Keeps `<html data-theme>` on the resolved theme; call once before the first render, so nothing flashes. */
export function applyTheme(root: HTMLElement = document.documentElement): void {
  const theme = useTheme();
  // Runs now (before the page renders) and again whenever the choice or the system's scheme changes.
  createRoot(() =>
    createRenderEffect(() => {
      root.dataset.theme = theme.resolved();
    }),
  );
}

/** The resolved theme, for what CSS can't style. */
export const resolvedTheme = (): Theme => useTheme().resolved();
