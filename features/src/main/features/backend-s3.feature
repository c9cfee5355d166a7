# S3 and S3-compatible stores (backend_type = "s3"), on the shared AWS SDK bundle.
require core
bundle io.multistore:io.multistore.lib.awssdk
bundle io.multistore:io.multistore.backend.s3
