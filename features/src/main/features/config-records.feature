# The record rules and JSON form every config provider shares (RecordReader, Json), on jackson-core.
require core
bundle com.fasterxml.jackson.core:jackson-core
bundle io.multistore:io.multistore.config.records
