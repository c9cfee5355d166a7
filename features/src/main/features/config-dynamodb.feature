# A DynamoDB table as the config provider (put the config cache in front), on the shared AWS SDK bundle.
require config-records
bundle io.multistore:io.multistore.lib.awssdk
bundle io.multistore:io.multistore.config.dynamodb
