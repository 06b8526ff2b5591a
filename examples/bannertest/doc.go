// Package bannertest holds real-browser tests of the banner package: the
// no-JavaScript and JavaScript consent flows, focus, keyboard order,
// axe-core accessibility checks in English and Welsh, and reflow at 320 px.
// It runs a small TLS test server that uses banner.New directly, without the
// Gate, so a failure here points at the banner alone.
package bannertest
