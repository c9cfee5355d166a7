# Liveness and readiness on the admin port: the Felix Health Check framework (jakarta servlet) and Multistore's
# checks. EventAdmin is required by the health check core.
require core
require http
bundle org.apache.felix:org.apache.felix.eventadmin
bundle org.apache.felix:org.apache.felix.healthcheck.api
bundle org.apache.felix:org.apache.felix.healthcheck.core
bundle io.multistore:io.multistore.health
