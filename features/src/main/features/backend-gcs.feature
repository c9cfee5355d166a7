# Google Cloud Storage (backend_type = "gcs" and its alias "gs"): the Google Cloud Storage client library, embedded
# privately in the bundle, as control plane; the shared data plane for object bodies.
require core
require dataplane
bundle io.multistore:io.multistore.backend.gcs
