# One image for every process: the bot, generation workers and the trainer differ only by command.
#
#   docker build -t lstm-bot .
#
# The install runs scripts/install.sh, as on a workstation: where tfjs-node's download host (Google
# storage) is unreachable it builds libtensorflow from the tensorflow-cpu wheel with pip (set
# PIP_INDEX_URL for your package index), unless TFJS_NODE_BASE_URI names a copy of the archive, e.g.
# the one scripts/offline-libtensorflow.sh serves on the host for the duration of the build:
#
#   scripts/offline-libtensorflow.sh run docker build --network host --build-arg TFJS_NODE_BASE_URI -t lstm-bot .
#
# BASE_IMAGE: Debian bookworm with Node.js (>= 20.19, the current LTS by default), npm and a `node` user.
ARG BASE_IMAGE=node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# tfjs-node compiles its addon when no prebuilt one matches; pip fetches the wheel for the offline path.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip make g++ ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/install.sh scripts/offline-libtensorflow.sh ./scripts/
COPY src ./src
ARG TFJS_NODE_BASE_URI=
ARG PIP_INDEX_URL=
# The addon builds against the headers that come with Node (no download from nodejs.org).
RUN export npm_config_nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" \
    && if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi \
    && scripts/install.sh \
    && npm prune --omit=dev

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    MODELS_DIR=/var/lib/lstm-bot/models \
    DATA_DIR=/var/lib/lstm-bot/data \
    BASE_MODEL_DIR=/app/models/base \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=1000000000000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY models/base ./models/base
# Only the example: config/lstm-bot.yaml may hold tokens (give settings as environment variables, or
# mount a file and name it with CONFIG_FILE).
COPY config/lstm-bot.example.yaml ./config/
# The mount points belong to `node`, so a fresh named volume mounted there starts out writable by it.
RUN mkdir -p /var/lib/lstm-bot/models /var/lib/lstm-bot/data && chown -R node:node /var/lib/lstm-bot
USER node
# Every long-running command (start, bot, worker, trainer) serves /healthz on HEALTH_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD node -e "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "bin/lstm-bot.js"]
CMD ["start"]
