# The backends' shared data plane (pooled HTTP client, retries, error mapping); its client is the Apache client
# inside the shared AWS SDK bundle. Every backend with a data plane (S3; Azure and GCS next) requires this.
require core
bundle io.multistore:io.multistore.lib.awssdk
bundle io.multistore:io.multistore.lib.dataplane
