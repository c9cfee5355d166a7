# PostgreSQL tables as the config provider (put the config cache in front), on the pgjdbc driver bundle.
require config-records
bundle org.postgresql:postgresql
bundle io.multistore:io.multistore.config.postgres
