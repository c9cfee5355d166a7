# Azure Blob Storage (backend_type = "az", and multistore's alias "azure"): the Azure Storage Blob SDK embedded
# privately in the backend bundle as control plane, the shared data plane for blob bodies.
require core
require dataplane
bundle io.multistore:io.multistore.backend.azure
