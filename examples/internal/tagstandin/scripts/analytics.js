// Stand-in for https://www.google-analytics.com/analytics.js (Universal
// Analytics). Like the real library it drains the ga() command queue, writes
// _ga and _gid on "create" with cookieDomain "auto", and sends hits to
// https://www.google-analytics.com/collect.
(function () {
	var s = window.cgStandin;
	var name = window.GoogleAnalyticsObject || "ga";
	var queued = (window[name] && window[name].q) || [];
	var trackers = [];

	function run(args) {
		switch (args[0]) {
		case "create":
			var levels = s.domain ? s.domain.split(".").length : 1;
			var ga = s.get("_ga") || "GA1." + levels + "." + s.rand() + "." + s.now();
			s.set("_ga", ga, 63072000);
			s.set("_gid", "GA1." + levels + "." + s.rand() + "." + s.now(), 86400);
			trackers.push({id: args[1], cid: ga.split(".").slice(2).join(".")});
			break;
		case "send":
			trackers.forEach(function (t) {
				s.beacon("https://www.google-analytics.com/collect?v=1&t=" + encodeURIComponent(args[1]) +
					"&tid=" + encodeURIComponent(t.id) + "&cid=" + t.cid + "&dl=" + encodeURIComponent(location.href));
			});
			break;
		}
	}

	var ga = function () { run(arguments); };
	ga.l = (window[name] && window[name].l) || +new Date();
	ga.loaded = true;
	window[name] = ga;
	for (var i = 0; i < queued.length; i++) run(queued[i]);
})();
