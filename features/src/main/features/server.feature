# The distribution: everything bin/multistore-server starts (distribution/ boot/ and bundle/).
require platform
require http
require webconsole
require core
require config-file
require backend-fs
require backend-s3
require backend-azure
