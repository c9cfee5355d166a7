# The record rules and JSON form every config provider shares (RecordReader, Json), on jackson-core (in core).
require core
bundle io.multistore:io.multistore.config.records
