// Stand-in for https://www.googletagmanager.com/gtm.js. A real container
// loads whatever tags its owner configured; this one only announces itself
// on the dataLayer the way gtm.js does, so the request log shows it ran.
(function () {
	var dl = window.dataLayer = window.dataLayer || [];
	window.google_tag_manager = window.google_tag_manager || {standin: true};
	dl.push({event: "gtm.load"});
})();
