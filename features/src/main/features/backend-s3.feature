# S3 and S3-compatible stores (backend_type = "s3"): the shared AWS SDK bundle as control plane, the shared data
# plane for object bodies.
require core
require dataplane
bundle io.multistore:io.multistore.lib.awssdk
bundle io.multistore:io.multistore.backend.s3
