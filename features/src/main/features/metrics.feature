# Prometheus metrics at /metrics on the admin port (a request listener; the Prometheus Java client is embedded).
require core
require http
bundle io.multistore:io.multistore.metrics
