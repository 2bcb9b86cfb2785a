/**
 * The sidebar's panels, in the order of their tabs. Adding one is one entry here: its component renders inside
 * the notebook's provider, so it reads the notebook with useNotebook().
 */
import type { Component } from 'solid-js';
import type { IconName } from '../Icon.tsx';
import { FilesPanel } from './FilesPanel.tsx';
import { TableOfContents } from './TableOfContents.tsx';

export interface SidebarPanel {
  id: string;
  label: string;
  icon: IconName;
  component: Component;
}

export const SIDEBAR_PANELS: readonly SidebarPanel[] = [
  { id: 'files', label: 'Files', icon: 'folder', component: FilesPanel },
  { id: 'contents', label: 'Contents', icon: 'contents', component: TableOfContents },
];
