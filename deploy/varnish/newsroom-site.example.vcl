# What deploy/varnish/newsroom.vcl needs from each site: copy to
# /etc/varnish/newsroom-site.vcl (or anywhere on varnishd's vcl_path) and edit.
#
# The app servers. .host_header must be a name in the app's ALLOWED_HOSTS:
# it is the Host of the health probe's requests.
backend app_1 {
    .host = "10.0.0.11";
    .port = "8000";
    .host_header = "news.example.org";
    .probe = newsroom_healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}
backend app_2 {
    .host = "10.0.0.12";
    .port = "8000";
    .host_header = "news.example.org";
    .probe = newsroom_healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers (they purge after each publication), and
# this machine for people. Never the load balancer's address, or every reader
# could purge through it.
acl purgers {
    "localhost";
    "10.0.0.0"/24;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_1);
    app.add_backend(app_2);
}
