# Felix Web Console 5 (jakarta) with the Declarative Services plugin, on the admin Jetty server.
require platform
require http
bundle org.apache.felix:org.apache.felix.webconsole
bundle org.apache.felix:org.apache.felix.webconsole.plugins.ds
bundle org.apache.felix:org.apache.felix.inventory
bundle org.owasp.encoder:encoder
