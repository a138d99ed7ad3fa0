# Roster: one image for servers, client agents and the example apps, running the built code.
#   docker build -t roster .
# (CI has no Docker engine: scripts/replay-dockerfile.ts replays these steps in a scratch directory.)

# Build stage: every dependency, the TypeScript compiled.
FROM node:20-bookworm-slim AS build
WORKDIR /roster
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.examples.json ./
COPY proto ./proto
COPY src ./src
COPY examples ./examples
COPY ui ./ui
COPY scripts/build-ui.ts ./scripts/
RUN npm run build --silent && npx tsc -p tsconfig.examples.json

# The image: production dependencies only, the built server and CLI in dist/, and the example
# apps built with the part of src/ they import (as JavaScript, at the paths they import it from).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /roster
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY proto ./proto
COPY bin ./bin
# What docker-compose.yml's one-shot certs service runs to make the cluster's certificates.
COPY scripts/docker/compose-certs.sh ./scripts/docker/
COPY --from=build /roster/dist ./dist
COPY --from=build /roster/build/examples/examples ./examples
COPY --from=build /roster/build/examples/src ./src
# Gossip (UDP and TCP), server RPC, gRPC API.
EXPOSE 8301/udp 8301 8300 8502
ENTRYPOINT ["node", "--max-semi-space-size=4", "dist/cmd/main.js"]
CMD ["agent", "--help"]
