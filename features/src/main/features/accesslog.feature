# The access log: one line per request to the multistore.access logger (a request listener).
require core
bundle io.multistore:io.multistore.accesslog
