# One image for every webcube process; the command picks the role (collector, server, refresh).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY collector/package.json collector/
COPY server/package.json server/
COPY dashboard-app/package.json dashboard-app/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/webcube.js"]
CMD ["start"]
