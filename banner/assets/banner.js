/* consentgate: see banner/assets.go */
(function (w, d) {
  'use strict';
  var me = d.currentScript, dl = w.dataLayer = w.dataLayer || [];
  function gtag() { dl.push(arguments); }
  function words(s) { return s ? s.split(' ').filter(Boolean) : []; }
  function at(el, a) { return el && el.getAttribute(a); }
  function has(l, c) { return l.indexOf(c) >= 0; }
  function $(s, el) { return (el || d).querySelector(s); }
  function each(s, el, f) { [].forEach.call((el || d).querySelectorAll(s), f); }
  function sig(acc) {
    function g(c) { return has(acc, c) ? 'granted' : 'denied'; }
    var a = g('analytics'), m = g('marketing'), p = g('preferences');
    return { analytics_storage: a, ad_storage: m, ad_user_data: m, ad_personalization: m,
      functionality_storage: p, personalization_storage: p, security_storage: 'granted' };
  }
  var acc0 = words(at(me, 'data-cg-accepted'));
  gtag('consent', 'default', sig([]));
  if (acc0.length) gtag('consent', 'update', sig(acc0));

 
  var clr = words(at(me, 'data-cg-clear'));
  d.cookie.split(';').forEach(function (kv) {
    var n = kv.split('=')[0].trim(), seg = location.pathname.split('/'), h = location.hostname.split('.'), ps = ['/'], ds = [''], i;
    if (!clr.some(function (p) { return p.slice(-1) == '*' ? n.indexOf(p.slice(0, -1)) == 0 : n == p; })) return;
    for (i = 2; i <= seg.length; i++) ps.push(seg.slice(0, i).join('/'), seg.slice(0, i).join('/') + '/');
    for (i = 0; i < h.length - 1; i++) ds.push(';domain=' + h.slice(i).join('.'));
    ps.forEach(function (p) { ds.forEach(function (m) { d.cookie = n + '=;Max-Age=0;path=' + p + m; }); });
  });

  var cur, ow, owl, wr = put(''), wrl = put('\n');
  function put(nl) {
    return function () {
      var f = d.createRange().createContextualFragment([].join.call(arguments, '') + nl), c = cur;
      cur = f.lastChild || c;
      c.after(f);
    };
  }
  function activate(acc, els, i) {
    if (!els) {
      if (d.write != wr) ow = d.write, owl = d.writeln;
      d.write = wr; d.writeln = wrl;
      els = [].slice.call(d.querySelectorAll('[data-cg-category]'));
    }
    for (i = i || 0; i < els.length; i++) {
      var el = els[i], s;
      if (!words(at(el, 'data-cg-category')).every(function (c) { return has(acc, c); })) continue;
      if (el.tagName == 'SCRIPT') {
        s = d.createElement('script');
        [].forEach.call(el.attributes, function (a) { if (a.name != 'type' && a.name.indexOf('data-cg-')) s.setAttribute(a.name, a.value); });
        if (at(el, 'data-cg-type')) s.type = at(el, 'data-cg-type');
        s.text = el.text;
        cur = s;
        if (s.src && !s.hasAttribute('async')) {
          s.async = false;
          s.onload = s.onerror = activate.bind(0, acc, els, i + 1);
          return el.parentNode.replaceChild(s, el);
        }
        el.parentNode.replaceChild(s, el);
        continue;
      }
      if (el.tagName == 'META') continue;
      [].filter.call(el.attributes, function (a) { return !a.name.indexOf('data-cg-') && !/^data-cg-(category|type)$/.test(a.name); })
        .sort(function (a, b) { return /^data-cg-(src|href)$/.test(a.name) - /^data-cg-(src|href)$/.test(b.name); })
        .forEach(function (a) {
          var n = a.name.slice(8), v = a.value;
          el.removeAttribute(a.name);
          try { n.indexOf('xlink:') ? el.setAttribute(n, v) : el.setAttributeNS('http://www.w3.org/1999/xlink', n, v); } catch (e) {}
        });
      el.removeAttribute('data-cg-category');
      if (el.tagName == 'SOURCE' && el.parentNode.load) el.parentNode.load();
    }
    d.write = ow; d.writeln = owl;
    w.dispatchEvent(new CustomEvent('ptupdate'));
  }

  function enhance(b) {
    var f = $('form', b);
    f.addEventListener('submit', function (e) {
      var btn = e.submitter, body;
      if (!btn || !btn.name || !w.fetch) return;
      e.preventDefault();
      body = new URLSearchParams(new FormData(f));
      body.append(btn.name, btn.value);
      function native() {
        var i = d.createElement('input');
        i.type = 'hidden'; i.name = btn.name; i.value = btn.value;
        f.appendChild(i); f.submit();
      }
      fetch(f.action, { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
        return r.json().then(function (j) {
          var acc = j.accepted || [], m;
          if (j.status == 'hidden') return b.hidden = true;
          if (j.status == 'error') { m = $('[data-cg-message=error]', b); m.textContent = j.message || m.textContent; return m.hidden = false; }
          gtag('consent', 'update', sig(acc));
          if (typeof w.fbq == 'function') w.fbq('consent', has(acc, 'marketing') ? 'grant' : 'revoke');
          each('[data-cg-message]', b, function (x) { if (at(x, 'data-cg-message') != 'error') x.hidden = at(x, 'data-cg-message') != j.status; });
          m = $('[data-cg-message=' + j.status + ']', b);
          m.setAttribute('role', 'alert'); m.tabIndex = -1; m.focus();
          activate(acc);
        }, native);
      }, native);
    });
  }

 
  var shifts = 0, timer;
  function leave(a) { w.location.replace(a.href); }
  d.addEventListener('keydown', function (e) {
    var a = $('[data-cg-exit]'), k = at(a, 'data-cg-exit');
    if (!a) return;
    if (e.key == 'Escape' && k == 'escape') return leave(a);
    if (e.key != 'Shift') return shifts = 0;
    if (k != 'shift3' || e.repeat) return;
    clearTimeout(timer);
    timer = setTimeout(function () { shifts = 0; }, 5000);
    if (++shifts == 3) leave(a);
  });
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('[data-cg-exit]');
    if (a) { e.preventDefault(); leave(a); }
  });

  function init() {
    var b = $('[data-cg-banner]'), n = $('[data-cg-notice]');
    if (b) enhance(b);
    if (n) n.focus();
  }
  if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', init); else init();
})(window, document);
