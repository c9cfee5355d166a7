# config.toml (+ --sts-config) as the config provider.
require core
bundle io.multistore:io.multistore.config.file
