// Stand-in for https://connect.facebook.net/en_US/fbevents.js (the Meta
// Pixel). Like the real library it takes over the fbq() queue the base code
// set up, honours fbq("consent", "revoke"/"grant"), writes the first-party
// _fbp cookie on "init" and sends events to https://www.facebook.com/tr/.
(function () {
	var s = window.cgStandin;
	var fbq = window.fbq;
	if (!fbq || fbq.callMethod) return;
	var revoked = false;
	var held = [];
	var pixels = [];

	function fbp() {
		var v = s.get("_fbp");
		if (!v) {
			v = "fb.1." + Date.now() + "." + s.rand();
			s.set("_fbp", v, 7776000);
		}
		return v;
	}

	function run(args) {
		if (args[0] === "consent") {
			revoked = args[1] === "revoke";
			if (!revoked) held.splice(0).forEach(run);
			return;
		}
		if (revoked) { held.push(args); return; }
		switch (args[0]) {
		case "init":
			pixels.push(String(args[1]));
			fbp();
			break;
		case "track":
		case "trackCustom":
			pixels.forEach(function (id) {
				s.beacon("https://www.facebook.com/tr/?id=" + encodeURIComponent(id) + "&ev=" +
					encodeURIComponent(args[1]) + "&fbp=" + fbp() + "&dl=" + encodeURIComponent(location.href));
			});
			break;
		}
	}

	fbq.callMethod = function () { run(arguments); };
	var queued = fbq.queue || [];
	fbq.queue = [];
	for (var i = 0; i < queued.length; i++) run(queued[i]);
})();
