# The application image: the same code runs the API (`npm run api`) and the worker (`npm run worker`).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
# Dev dependencies included: the Prisma CLI generates the client at install, and tsx runs the TypeScript.
RUN npm ci --include=dev
ENV NODE_ENV=production
COPY . .
USER node
EXPOSE 3000
# npm passes SIGTERM (docker stop) on to the service, which the scripts `exec`: the worker finishes its
# activities before the process exits.
CMD ["npm", "run", "api"]
