# An HTTP control plane as the config provider (put the config cache in front).
require config-records
bundle io.multistore:io.multistore.config.http
