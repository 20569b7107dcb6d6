# syntax=docker/dockerfile:1
#
# The kube-soar operator image: `node dist/main.js` on Node.js 24, as UID 65532, with no shell,
# nothing writable but a /tmp the pod mounts, and only the production dependencies.
#
# Base images are pinned by tag. Their digests are not pinned here: the release process
# resolves each tag and adds `@sha256:<digest>` to its FROM line, so that moving to a newer
# base image is a reviewed change of this file.
#   node:24-bookworm-slim                         Node.js 24 on Debian 12, with npm (build only)
#   gcr.io/distroless/nodejs24-debian12:nonroot   Node.js 24 on Debian 12, no shell, user 65532

# Compiles src/ to dist/ with the development dependencies (TypeScript).
FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
RUN ["npm", "run", "build"]

# The production dependencies alone, as the runtime stage holds them.
FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN ["npm", "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]

FROM gcr.io/distroless/nodejs24-debian12:nonroot AS runtime
ARG VERSION=0.1.0
ARG SOURCE=""
LABEL org.opencontainers.image.title="kube-soar" \
      org.opencontainers.image.description="Kubernetes-native security orchestration, automation and response operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# package.json makes dist/*.js ES modules ("type": "module"). Everything is owned by root and
# read-only to the operator's user.
COPY --from=production-dependencies /app/package.json ./
COPY --from=production-dependencies /app/node_modules/ node_modules/
COPY --from=build /build/dist/ dist/
USER 65532:65532
# Node is PID 1 (no shell, no init): the operator handles SIGTERM and SIGINT itself. The
# container's arguments are the operator's flags. Node's own options are the operator's
# (src/runtime/node-runtime-options.ts; a test holds this line to them).
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=2", "--heap-growing-percent=20", "dist/main.js"]
