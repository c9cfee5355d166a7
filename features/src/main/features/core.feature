# The gateway: the API bundle and the S3 core.
require platform
bundle io.multistore:io.multistore.api
bundle io.multistore:io.multistore.core
