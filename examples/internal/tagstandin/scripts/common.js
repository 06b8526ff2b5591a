// Shared by every stand-in script: cookies the way the vendors' libraries
// write them, and beacons the way they send them.
var cgStandin = window.cgStandin || (function () {
	// cookieDomain finds the highest domain that accepts a cookie, as gtag.js
	// and fbevents.js do with cookie_domain "auto": on www.westshire.police.uk
	// that is westshire.police.uk (police.uk is a public suffix). On an IP
	// address or a single-label host the cookie is host-only.
	function cookieDomain() {
		var host = location.hostname;
		if (/^[0-9.]+$/.test(host) || host.indexOf(".") < 0) return "";
		var labels = host.split(".");
		for (var i = labels.length - 2; i >= 0; i--) {
			var d = labels.slice(i).join(".");
			document.cookie = "_cg_probe=1; path=/; domain=" + d;
			if (document.cookie.indexOf("_cg_probe=1") >= 0) {
				document.cookie = "_cg_probe=; path=/; domain=" + d + "; max-age=0";
				return d;
			}
		}
		return "";
	}
	var domain = cookieDomain();
	function set(name, value, seconds) {
		document.cookie = name + "=" + value + "; path=/; max-age=" + seconds +
			(domain ? "; domain=" + domain : "") + "; SameSite=Lax" +
			(location.protocol === "https:" ? "; Secure" : "");
	}
	function get(name) {
		var m = document.cookie.match(new RegExp("(?:^|; )" + name.replace(/[.$]/g, "\\$&") + "=([^;]*)"));
		return m ? m[1] : "";
	}
	function rand() { return Math.floor(Math.random() * 2147483647); }
	function now() { return Math.floor(Date.now() / 1000); }
	// beacon sends a hit the way the vendors do when sendBeacon is not used: an image.
	function beacon(url) { new Image().src = url; }
	return {domain: domain, set: set, get: get, rand: rand, now: now, beacon: beacon};
})();
window.cgStandin = cgStandin;
