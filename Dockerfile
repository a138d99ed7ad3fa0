# Roster: one image for servers, client agents and the example apps.
#   docker build -t roster .
FROM node:20-bookworm-slim
WORKDIR /roster
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY proto ./proto
COPY src ./src
COPY bin ./bin
COPY examples ./examples
RUN npm run build --silent
# Gossip (UDP and TCP), server RPC, gRPC API.
EXPOSE 8301/udp 8301 8300 8502
ENTRYPOINT ["node", "--max-semi-space-size=4", "dist/agent/main.js"]
CMD ["agent", "--help"]
