vcl 4.1;
# Newsroom behind Varnish (docs/deploy.md): load balancer -> Varnish -> app servers.
#
# Caches what anonymous readers get (articles, desk pages, home, feeds,
# sitemaps, table downloads and embeds, /oembed/) for as long as the app's
# Cache-Control allows (s-maxage), and drops it when the app purges its keys
# (newsroom/purge.py: `PURGE` with `xkey-purge: key key ...`). Anything with
# a session, CSRF or messages cookie, the admin, previews and every request
# other than GET and HEAD goes straight to the app servers. While the app
# servers are down (the health probe says so), cached pages are served for up
# to a day after they expired.
#
# What differs between sites lives in newsroom-site.vcl, found on vcl_path
# (/etc/varnish by default; deploy/varnish/newsroom-site.example.vcl is a
# start): the backends, a director called `app` over them, and the `purgers`
# ACL of the addresses allowed to purge (the app servers).
#
# Needs varnish-modules (vmod xkey). Tested by articles/tests/system/test_varnish.py.

import directors;
import std;
import xkey;

# The app servers' /healthz answers 200 while they can serve pages. Backends
# are healthy at start, sick after 2 failures out of the last 3 (1 s apart).
probe newsroom_healthz {
    .url = "/healthz";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

include "newsroom-site.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # By surrogate key: every object tagged with any of the keys, whatever
        # its address or query string.
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged));
        }
        # By address: this host and path (and query string) only.
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        if (req.method ~ "^(POST|PUT|PATCH|DELETE|OPTIONS)$") {
            return (pass);
        }
        return (synth(405, "Method Not Allowed"));
    }
    # The editors' side and share-link previews are never shared.
    if (req.url ~ "^/(admin|preview)/") {
        return (pass);
    }
    # Logged in (session), mid-form (CSRF), with a message waiting, or with
    # credentials: the app answers this visitor alone.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)="
        || req.http.Authorization) {
        return (pass);
    }
    # Other cookies (analytics) change nothing the app renders for readers,
    # as its own page cache assumes too: dropped so pages can be shared.
    unset req.http.Cookie;

    # Tracking parameters change nothing either: removed so that a link from
    # a newsletter or a social network hits the same object. The app's own
    # parameters stay, in their order: the tables' `t<N>-sort`, `t<N>-q` and
    # `t<N>-page`, the listings' `page`, search's `q`, oEmbed's `url`,
    # `format`, `maxwidth` and `maxheight`.
    if (req.url ~ "\?") {
        set req.url = regsuball(
            req.url,
            "(?i)(?<=[?&])(utm_[^=&]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|twclid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src)(=[^&]*)?(&|$)",
            ""
        );
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # Stale while revalidating: a page that expired less than 10 s ago is
    # served at once while a fresh one is fetched. With every app server down,
    # up to beresp.grace (a day) after it expired.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_pass {
    set req.http.x-newsroom-pass = "1";
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # A failed refresh leaves the stale copy in place.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Shared only when the app says it may be (readers' pages: `public,
    # max-age=..., s-maxage=...`); Varnish's TTL is then s-maxage. Drafts'
    # 404s, staff pages and everything else without `public` are fetched anew
    # each time.
    if (beresp.status >= 500
        || beresp.http.Cache-Control !~ "(?i)(^|[ ,])public([ ,]|$)"
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Set-Cookie) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_deliver {
    # The surrogate keys are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (req.http.x-newsroom-pass) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
