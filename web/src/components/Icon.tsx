import type { JSX } from 'solid-js';

/** Stroke icons drawn for Cellmate on a 24-unit grid; decorative (buttons carry aria-labels). */
const PATHS = {
  play: 'M8 5.5v13l10.5-6.5z',
  runAll: 'M4.5 5.5v13l8-6.5zM12.5 5.5v13l8-6.5z',
  stop: 'M7 7h10v10H7z',
  restart: 'M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 4.5v4h4',
  download: 'M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19.5h14',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M18 13l-6 6-6-6',
  trash: 'M4.5 7h15M10 11v6M14 11v6M6.5 7l1 12.5h9l1-12.5M9.5 7V4.5h5V7',
  plus: 'M12 5v14M5 12h14',
  back: 'M15 18l-6-6 6-6',
  close: 'M6 6l12 12M18 6 6 18',
  chat: 'M4.5 6.5a2 2 0 0 1 2-2h11a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H10l-4 3.5v-3.5h0a2 2 0 0 1-1.5-2z',
  collapse: 'M9.5 6l6 6-6 6',
  notebook: 'M6 3.5h10.5a2 2 0 0 1 2 2v13a2 2 0 0 1-2 2H6zM6 3.5v17M9.5 8h6M9.5 11.5h6',
  folder: 'M3.5 6.5a1.5 1.5 0 0 1 1.5-1.5h4.5l2 2.5h7.5a1.5 1.5 0 0 1 1.5 1.5v8.5a1.5 1.5 0 0 1-1.5 1.5H5a1.5 1.5 0 0 1-1.5-1.5z',
  file: 'M6.5 3.5h7l4 4v13h-11zM13.5 3.5v4h4',
  upload: 'M12 15.5V4.5M7.5 9 12 4.5 16.5 9M5 19.5h14',
  rename: 'M4.5 19.5h4l10-10-4-4-10 10zM13 7l4 4',
  shield: 'M12 3.5l7 3v5c0 4.5-3 7.8-7 9.5-4-1.7-7-5-7-9.5v-5z',
  shieldOff: 'M12 3.5l7 3v5c0 4.5-3 7.8-7 9.5-4-1.7-7-5-7-9.5v-5zM4 4l16 16',
  caret: 'M7 10l5 5 5-5',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5l4.5 4.5',
  contents: 'M4.5 6h2M9.5 6h10M6.5 12h2M11.5 12h8M6.5 18h2M11.5 18h8',
  sun: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM12 3v2M12 19v2M3 12h2M19 12h2M5.6 5.6 7 7M17 17l1.4 1.4M5.6 18.4 7 17M17 7l1.4-1.4',
  moon: 'M19.5 14.5A7.5 7.5 0 0 1 9.5 4.5a7.5 7.5 0 1 0 10 10z',
  monitor: 'M3.5 5.5h17v11h-17zM9 20h6M12 16.5V20',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; size?: number }): JSX.Element {
  const filled = () => props.name === 'play' || props.name === 'runAll' || props.name === 'stop';
  return (
    <svg
      class="icon"
      width={props.size ?? 16}
      height={props.size ?? 16}
      viewBox="0 0 24 24"
      fill={filled() ? 'currentColor' : 'none'}
      stroke="currentColor"
      stroke-width={filled() ? 1.2 : 1.8}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[props.name]} />
    </svg>
  );
}
