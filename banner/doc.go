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
// neutralised (a tag that calls document.write, as older ones do, writes
// after itself rather than over the loaded page), and sends Google Consent
// Mode v2 and Meta Pixel consent signals.
//
// # Wiring
//
//	b, err := banner.New(banner.Options{
//		Codec:       codec, // the consent cookie; its catalogue is the policy shown
//		Recorder:    recorder,
//		ServiceName: consent.Text{EN: "Gwent Police", CY: "Heddlu Gwent"},
//		Preset:      banner.PresetPolice,
//		CSRFKey:     csrfKey, // 32+ random bytes, the same on every instance
//	})
//	b.Mount(mux) // GET+POST /cookies and /cy/cookies, and the assets
//	gate, err := middleware.New(middleware.Options{Codec: codec, Banner: b})
//	http.ListenAndServe(addr, gate.Handler(mux))
//
// Every page puts [Banner.Head] in its <head>, before any analytics or
// advertising tag: it links the stylesheet and the script, which sets Google
// Consent Mode's defaults before any tag runs. The Gate injects the banner
// after <body>; a site without the Gate puts [Banner.Fragment] there itself.
// A site that wants its cookies page in its own layout serves GET itself,
// puts [Banner.SettingsContent] in its template, and routes POST to
// [Banner.Handler].
//
// # Decisions
//
// A POST carries either cookies[additional]=yes|no (the banner),
// cookies[<category>]=yes|no per optional category (the cookies page; a
// category left out counts as no) or cookies[hide]=yes ("Hide cookie
// message"). Anything else under cookies[…] — an unknown or essential
// category, another value, a field given twice — is a 400 and nothing is
// stored. The handler records proof of the decision with a deadline
// (Options.RecordTimeout); if that fails, nothing the visitor had not allowed
// before is stored and the visitor sees "Sorry, there was a technical problem.
// Please try again." (503), while a rejection or withdrawal — including the
// withdrawal part of a mixed change — is stored anyway. It then writes the consent cookie, expires
// the cookies of newly refused categories the request carried, and answers
// JSON when the banner script asked for it (Accept: application/json), or
// else redirects (303) to the return URL with the cookie_consent_flash
// cookie set, so the next page shows the confirmation — or, from the
// cookies page, back to it with the success notification. Return URLs that
// could leave the site become "/".
//
// # Theming
//
// The stylesheet takes its colours from CSS custom properties, so a force
// sets its own after the banner's stylesheet:
//
//	:root {
//		--cg-text: #0b0c0c;        /* text, and the focus underline */
//		--cg-bg: #f3f2f1;          /* banner background */
//		--cg-link: #1d70b8;
//		--cg-button: #00703c;      /* both buttons, equally: never colour Reject less */
//		--cg-button-text: #fff;
//		--cg-exit: #d4351c;        /* "Leave this site" */
//		--cg-focus: #fd0;          /* focus background */
//		--cg-border: #b1b4b6;
//		--cg-font: system-ui, Arial, sans-serif;
//	}
//
// Keep text at 4.5:1 against its background and button edges at 3:1; the
// browser tests check the defaults with axe-core.
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
