/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { installPushHandlers } from './service-worker/push';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };

// The app shell (JS, CSS, icons, the prerendered /shell page) comes from the precache,
// so Porch opens with no network. Nothing else under /api or /sync is cached here (the
// app decides what it may show offline, and auth answers are always fresh) except avatars:
// a `?v=` version of one never changes, so it is kept and shown offline. Sign-out deletes
// this cache with the rest of the user's data.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every page is the same client-rendered shell, so any Porch URL opens offline.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/shell'), {
    denylist: [/^\/api\//, /^\/sync\//, /^\/healthz$/, /^\/metrics$/]
  })
);

registerRoute(({ url }) => url.origin === self.location.origin && /^\/api\/users\/[^/]+\/avatar$/.test(url.pathname) && url.searchParams.has('v'), new CacheFirst({ cacheName: 'porch-avatars' }));

// A first install controls the open page at once; an update waits until the user chooses
// "Reload" (the page posts SKIP_WAITING), so nothing reloads under someone typing.
clientsClaim();
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Web Push: notifications for new messages, and what a click on one opens.
installPushHandlers(self);
