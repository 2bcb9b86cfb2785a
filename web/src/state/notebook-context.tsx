import { createContext, useContext, type JSX } from 'solid-js';
import type { NotebookStore } from './notebook-store.ts';

const NotebookContext = createContext<NotebookStore>();

/** Makes one notebook's store available to the components of its page. */
export function NotebookProvider(props: { store: NotebookStore; children: JSX.Element }): JSX.Element {
  return <NotebookContext.Provider value={props.store}>{props.children}</NotebookContext.Provider>;
}

/**
 * The store of the notebook on screen. Throws outside `<NotebookProvider>`: a component that silently got no
 * store would render an empty notebook and hide the mistake.
 */
export function useNotebook(): NotebookStore {
  const store = useContext(NotebookContext);
  if (!store) throw new Error('useNotebook() must be called inside <NotebookProvider>');
  return store;
}
