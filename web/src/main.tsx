import { render } from 'solid-js/web';
import { initToken } from './api/token.ts';
import { App } from './components/App.tsx';
import { startRouter } from './router/index.ts';
import { applyTheme } from './theme/theme.ts';
import './styles.css';

initToken({
  location: window.location,
  storage: (() => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })(),
  replaceUrl: (url) => history.replaceState(history.state, '', url),
});
startRouter();
applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(() => <App />, root);
