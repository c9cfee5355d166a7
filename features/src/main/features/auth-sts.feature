# STS AssumeRoleWithWebIdentity and sealed session tokens (SESSION_TOKEN_KEY), on nimbus-jose-jwt.
require core
bundle com.nimbusds:nimbus-jose-jwt
bundle io.multistore:io.multistore.auth.sts
