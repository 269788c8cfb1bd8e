# syntax=docker/dockerfile:1
# One image for every process: the bot, generation workers and the trainer differ only by command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# tfjs-node compiles its addon when no prebuilt one matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=1000000000000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY models/base ./models/base
COPY config ./config
USER node
ENTRYPOINT ["node", "bin/lstm-bot.js"]
CMD ["start"]
