# The Felix Health Check plugin of the Web Console (/system/console/healthcheck): every check with its tags and
# result, for people. 2.2.0 is the jakarta build that runs on Web Console 5.
require health
require webconsole
bundle org.apache.felix:org.apache.felix.healthcheck.webconsoleplugin
