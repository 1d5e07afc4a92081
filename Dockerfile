# Teaching in Thurrock - container image: the portal built from this repository on Debian bookworm.
# Used by docker-compose.yml; see the comments there for certificates, the schools register and
# the database password.

# --- build: the same set-up scripts and Makefile as on a developer's machine ------------------
FROM debian:bookworm AS build
WORKDIR /src
# deps.sh enables deb-src (CivetWeb is built from Debian's source package) and installs the
# build packages, Node.js and npm; the package index stays for `apt-get source` below.
COPY backend/setup/deps.sh backend/setup/deb-src.sh backend/setup/
RUN bash backend/setup/deps.sh build
COPY . .
RUN make -j"$(nproc)" build

# --- runtime: the binary, its data files and runtime libraries only -------------------------
FROM debian:bookworm-slim
RUN apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		libssl3 libpq5 libjansson4 libargon2-1 libcurl4 libcmark0.30.2 ca-certificates john-data \
	&& rm -rf /var/lib/apt/lists/* \
	&& groupadd --system --gid 10001 portal \
	&& useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
		--shell /usr/sbin/nologin portal
WORKDIR /app
COPY --from=build /src/build/portal build/portal
COPY --from=build /src/build/assets build/assets
COPY --from=build /src/frontend/templates frontend/templates
COPY --from=build /src/sql/migrations sql/migrations
COPY --from=build /src/config/portal.conf config/portal.conf
COPY backend/setup/docker-entrypoint.sh /usr/local/bin/portal-entrypoint
# Listen on all interfaces inside the container; the certificate, key and the schools register
# are mounted (see docker-compose.yml).
ENV PORTAL_LISTEN=0.0.0.0:8443 \
	PORTAL_TLS_CERT=/tls/cert.pem \
	PORTAL_TLS_KEY=/tls/key.pem \
	PORTAL_SCHOOLS_CSV=/data/thurrock_schools.csv
USER portal
EXPOSE 8443
ENTRYPOINT ["/bin/sh", "/usr/local/bin/portal-entrypoint"]
