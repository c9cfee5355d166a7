# The gateway as its own OIDC provider for backend auth (OIDC_PROVIDER_KEY, OIDC_PROVIDER_ISSUER): discovery and
# JWKS endpoints, and the credential source S3, Azure and GCS backends use for auth_type = "oidc". On nimbus-jose-jwt
# and the shared AWS SDK (its STS client).
require core
bundle com.nimbusds:nimbus-jose-jwt
bundle io.multistore:io.multistore.lib.awssdk
bundle io.multistore:io.multistore.auth.oidc
