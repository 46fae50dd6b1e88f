// Entry point: mounts the app, then starts routing, the session, the outbox and the notifications count.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { ensureCsrf } from './lib/api/client';
import { i18n } from './lib/i18n/index.svelte';
import { startNotifications } from './lib/notifications.svelte';
import { startRouter } from './lib/router.svelte';
import { session } from './lib/session.svelte';
import { startSync } from './lib/sync.svelte';

document.documentElement.lang = i18n.locale;
startRouter();
mount(App, { target: document.getElementById('app')! });
void ensureCsrf()
  .catch(() => undefined)
  .then(() => session.refresh())
  .then(startSync)
  .then(startNotifications);
