/**
 * The theme switch in the page headers: three buttons (Light, Dark, System), the chosen one pressed.
 * Stable hooks: `[data-theme-switch]` (role group "Theme"), buttons by aria-label "Light theme", "Dark theme",
 * "System theme" with `aria-pressed`.
 */
import { For, type JSX } from 'solid-js';
import { Icon, type IconName } from './Icon.tsx';
import { THEME_CHOICES, useTheme, type ThemeChoice } from '../theme/theme.ts';

const LOOK: Record<ThemeChoice, { label: string; icon: IconName; title: string }> = {
  light: { label: 'Light theme', icon: 'sun', title: 'Light' },
  dark: { label: 'Dark theme', icon: 'moon', title: 'Dark' },
  system: { label: 'System theme', icon: 'monitor', title: "Follow the system's setting" },
};

export function ThemeSwitch(): JSX.Element {
  const theme = useTheme();
  return (
    <div class="theme-switch" role="group" aria-label="Theme" data-theme-switch="">
      <For each={THEME_CHOICES}>
        {(choice) => (
          <button
            type="button"
            class="theme-option"
            aria-label={LOOK[choice].label}
            aria-pressed={theme.choice() === choice}
            title={LOOK[choice].title}
            onClick={() => theme.setChoice(choice)}
          >
            <Icon name={LOOK[choice].icon} size={15} />
          </button>
        )}
      </For>
    </div>
  );
}
