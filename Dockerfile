# The application image: the same code runs the API (`npm run api`) and the worker (`npm run worker`).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
RUN npm ci
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
