// Package banner serves what visitors see of consentgate: the GOV.UK-style
// cookie banner, the cookie settings page and the POST handler that records a
// decision, in English and Welsh.
//
// Everything works without JavaScript: the banner is a plain form that posts
// to the settings route, which stores the decision in the signed consent
// cookie ([consent.Codec]), records proof of consent ([consent.Recorder]) and
// redirects back, where the next page shows the confirmation. A small
// embedded script only enhances it: it posts with fetch, swaps in the
// confirmation, moves focus to it and activates the tags the middleware
// neutralised, and sends Google Consent Mode v2 and Meta Pixel consent
// signals.
//
// # Wiring
//
//	b, err := banner.New(banner.Options{Codec: codec, ServiceName: consent.Text{EN: "Gwent Police", CY: "Heddlu Gwent"}})
//	b.Mount(mux)                      // /cookies, /cy/cookies and the assets
//	// in every page's <head>, before any tag:   {{ .Head }}  (b.Head(r))
//	// the Gate injects the banner after <body>: middleware options take b as the BannerRenderer
//
// A site that renders its own layout puts the settings form and tables in it
// with [Banner.SettingsContent], and serves the POST with [Banner.Handler].
//
// # Quick exit and the order of the page
//
// The GOV.UK Design System puts the cookie banner first in the page, before
// the skip link (REQUIREMENTS C1); police.uk sites put the "Leave this site"
// control first (F5). By default [Banner.QuickExit] renders the control on
// its own and the site places it after the banner, so the GOV.UK order holds.
// With [QuickExitOptions.BeforeBanner] the banner fragment starts with the
// quick-exit control instead, so it comes first in tab order on sensitive
// pages, and [Banner.QuickExit] renders nothing on pages that carry the
// banner, so the control never appears twice.
//
// # CSRF
//
// The POST handler rejects cross-site requests (Origin and Sec-Fetch-Site)
// and checks a token: a random nonce with its HMAC under [Options.CSRFKey].
// When the visitor already has the essential cookie_consent_csrf cookie, the
// nonce must equal the cookie's value (signed double submit); a first POST
// from a visitor without that cookie is accepted only when the browser
// positively says it is same-origin, and its response sets the cookie. The
// check keeps no server state, so any number of instances sharing the key
// accept each other's tokens.
package banner
