# The cache in front of a network config provider (TTL, single flight, stale-if-error).
require core
bundle io.multistore:io.multistore.config.cache
