// Package e2e proves the example force site lawful in a real browser: a
// headless Chromium visits https://www.westshire.police.uk (served on
// loopback) while every tag vendor's host resolves to a local stand-in that
// logs each request. The tests assert what a visitor's browser actually
// does — which requests leave, which cookies it holds — before a decision,
// after accepting or rejecting with and without JavaScript, after changing
// their mind, after tampering, after a policy change, and in Welsh.
//
// Run with ./scripts/test (which installs Chromium and axe-core); the tests
// skip without Chromium, and fail without it when CI=true.
package e2e
