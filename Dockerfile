# The application image: the same code runs the API (`npm run api`) and the worker (`npm run worker`).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
# Runtime dependencies only: the Prisma CLI (which generates the client at install) and tsx (which runs the
# TypeScript) are among them.
RUN npm ci --omit=dev
ENV NODE_ENV=production
COPY . .
USER node
EXPOSE 3000
# npm passes SIGTERM (docker stop) on to the service, which the scripts `exec`: the worker finishes its
# activities before the process exits.
CMD ["npm", "run", "api"]
