# A local directory as a backend (backend_type = "fs").
require core
bundle io.multistore:io.multistore.backend.fs
