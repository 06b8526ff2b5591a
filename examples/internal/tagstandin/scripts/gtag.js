// Stand-in for https://www.googletagmanager.com/gtag/js (GA4, Google Ads and
// Floodlight through one tag). Like the real library it reads the dataLayer
// queue, honours Consent Mode ("consent", "default"/"update"), writes _ga and
// _ga_<ID> for G- IDs and _gcl_au for DC-/AW- IDs when storage is granted, and
// sends its hits to the real collection hosts.
(function () {
	var s = window.cgStandin;
	var dl = window.dataLayer = window.dataLayer || [];
	// A page that loads gtag.js twice (GA4 and Floodlight snippets side by
	// side) gets one library, as with the real one.
	if (dl.cgStandin) return;
	dl.cgStandin = true;
	var consent = {analytics_storage: "granted", ad_storage: "granted"};
	var configured = [];
	var twoYears = 63072000;

	function granted(kind) { return consent[kind] !== "denied"; }
	function gcs() { return "G1" + (granted("ad_storage") ? "1" : "0") + (granted("analytics_storage") ? "1" : "0"); }

	function clientID() {
		var ga = s.get("_ga");
		if (ga) return ga.split(".").slice(2).join(".");
		return s.rand() + "." + s.now();
	}

	function hit(id, event) {
		var cid = clientID();
		if (id.indexOf("G-") === 0) {
			if (granted("analytics_storage")) {
				s.set("_ga", "GA1.1." + cid, twoYears);
				s.set("_ga_" + id.slice(2), "GS1.1." + s.now() + ".1.0." + s.now() + ".0.0.0", twoYears);
			}
			s.beacon("https://www.google-analytics.com/g/collect?v=2&tid=" + encodeURIComponent(id) +
				"&en=" + encodeURIComponent(event) + "&gcs=" + gcs() +
				(granted("analytics_storage") ? "&cid=" + cid : "") +
				"&dl=" + encodeURIComponent(location.href));
		} else if (id.indexOf("DC-") === 0 || id.indexOf("AW-") === 0) {
			if (granted("ad_storage")) s.set("_gcl_au", "1.1." + s.rand() + "." + s.now(), 7776000);
			// send_to "DC-1234567/invmedia/count0+standard" names the activity.
			var parts = id.slice(3).split("/");
			s.beacon(id.indexOf("DC-") === 0 ?
				"https://ad.doubleclick.net/ddm/activity/src=" + parts[0] + ";type=" + (parts[1] || event) +
				";cat=" + (parts[2] || "").split("+")[0] + ";gcs=" + gcs() + ";ord=" + s.rand() + "?" :
				"https://googleads.g.doubleclick.net/pagead/viewthroughconversion/" + parts[0] + "/?gcs=" + gcs());
		}
	}

	function process(args) {
		if (!args || typeof args[0] !== "string") return;
		switch (args[0]) {
		case "consent":
			var was = granted("analytics_storage") && granted("ad_storage");
			for (var k in args[2] || {}) consent[k] = args[2][k];
			// A grant after configuration writes the cookies it held back, as gtag.js does.
			if (args[1] === "update" && !was) configured.forEach(function (id) { hit(id, "page_view"); });
			break;
		case "config":
			configured.push(args[1]);
			hit(args[1], "page_view");
			break;
		case "event":
			var to = (args[2] && args[2].send_to) || null;
			configured.forEach(function (id) {
				if (!to || String(to).indexOf(id) === 0) hit(to && to.indexOf("DC-") === 0 ? to : id, args[1]);
			});
			break;
		}
	}

	window.google_tag_data = window.google_tag_data || {standin: true};
	for (var i = 0; i < dl.length; i++) process(dl[i]);
	var push = dl.push;
	dl.push = function () {
		for (var j = 0; j < arguments.length; j++) process(arguments[j]);
		return push.apply(dl, arguments);
	};
})();
