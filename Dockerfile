# docker build -t multistore-proxy .
# docker run -v ./config.toml:/etc/multistore/config.toml -p 8080:8080 -e SESSION_TOKEN_KEY="$SESSION_TOKEN_KEY" multistore-proxy

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp install -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/multistore --create-home multistore \
 && mkdir -p /etc/multistore
COPY --from=build /src/distribution/target/multistore-server /opt/multistore
# The example config serves buckets from ./data under the working directory; mount your own over it.
RUN cp /opt/multistore/config/config.toml /etc/multistore/config.toml \
 && chown -R multistore /opt/multistore/deploy /var/lib/multistore
USER multistore
WORKDIR /var/lib/multistore
# Configurations and the console password persist in /var/lib/multistore; the bundle cache is rebuilt per start.
ENV MULTISTORE_DATA_DIR=/var/lib/multistore/state \
    MULTISTORE_CACHE_DIR=/tmp/multistore-cache
VOLUME ["/var/lib/multistore"]
EXPOSE 8080
ENTRYPOINT ["/opt/multistore/bin/multistore-server"]
CMD ["--config", "/etc/multistore/config.toml", "--listen", "0.0.0.0:8080"]
