# config.toml or config.json (+ --sts-config) as the config provider.
require config-records
bundle io.multistore:io.multistore.config.file
