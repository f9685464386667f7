"""End-to-end tests in headless Chromium (Debian's /usr/bin/chromium, DevTools protocol)."""
