"""Serves the built single-page app and its service worker."""
