# The gateway: built with the dev dependencies (full image: some install scripts compile native code),
# run with the production ones only on the slim image. Node 22 LTS.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# The heap flags of `npm start` (package.json; docs/operations.md#memory): V8 lets the old generation
# grow to a multiple of the live heap that rises with its limit, up to 4x at 2 GB and above; 32 MB
# semi-spaces keep requests' short-lived objects out of the old generation.
ENV NODE_ENV=production \
    PORT=4000 \
    NODE_OPTIONS="--max-old-space-size=1024 --max-semi-space-size=32"
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Owned by the runtime user, so that a volume mounted here (compose: the generated JWT secret) is writable.
RUN mkdir -p /app/.idgraph && chown node:node /app/.idgraph
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `npm start` would check the build first; the image runs the built server directly.
# Node as PID 1 receives SIGTERM from `docker stop` and shuts down gracefully.
CMD ["node", "dist/src/main.js"]
