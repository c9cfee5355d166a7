# The gateway: the API bundle and the S3 core (which reads browser POST policies with jackson-core).
require platform
bundle io.multistore:io.multistore.api
bundle com.fasterxml.jackson.core:jackson-core
bundle io.multistore:io.multistore.core
