# The distribution: everything bin/multistore-server starts (distribution/ boot/ and bundle/).
require platform
require http
require webconsole
require core
require config-file
require config-cache
require config-http
require config-postgres
require config-dynamodb
require backend-fs
require backend-s3
require auth-sts
require accesslog
require metrics
require health
require console
require backend-azure
