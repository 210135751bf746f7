// The app shell the service worker serves for every navigation: prerendered once at build
// time, it boots the client router, which then renders whatever URL was asked for.
export const prerender = true;
